// The attribute checks of one graph node (validate.ts walks the graph and calls them): types, vocabulary
// names, sizes within the limits, and the predicates they share with the walker.

import { closestNames } from './closest-names';
import type { IssueList } from './issues';
import { MAX_ELEMENTS, MAX_KERNEL, MAX_SPATIAL, MAX_STRIDE, MAX_WIDTH } from './limits';
import type { Span } from './types';
import { PADDING_NAMES, POOL_NAMES, WEIGHT_INIT_NAMES } from './vocabulary';

type Path = (string | number)[];
export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isPosInt = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;
export const isFiniteNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function didYouMean(name: string, list: readonly string[]): string {
  const c = closestNames(name, list);
  return c.length === 0 ? '' : `; did you mean ${c.map((s) => `'${s}'`).join(' or ')}?`;
}

export function show(x: unknown): string {
  if (x === undefined) return 'nothing';
  const s = JSON.stringify(x);
  return s === undefined ? String(x) : s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/** Attribute checks of one node, reporting at the attribute's path. */
export class Attrs {
  constructor(
    private readonly v: { readonly list: IssueList },
    private readonly n: Obj,
    private readonly kind: string,
    private readonly path: Path,
    private readonly span: Span | undefined,
  ) {}

  bad(key: string, why: string): void {
    this.v.list.add('graph/bad-attribute', `${this.kind}: '${key}' ${why}, got ${show(this.n[key])}`, [...this.path, key], this.span);
  }

  limit(key: string, why: string): void {
    this.v.list.add('graph/limit', `${this.kind}: '${key}' ${why}`, [...this.path, key], this.span);
  }

  size(key: string, max: number): void {
    const x = this.n[key];
    if (x === undefined || typeof x !== 'number') return this.bad(key, 'must be a positive integer');
    if (!isPosInt(x))
      return this.v.list.add('graph/not-positive', `${this.kind}: '${key}' must be a positive integer, got ${show(x)}`, [...this.path, key], this.span);
    if (x > max) this.limit(key, `is ${x}; the limit is ${max}`);
  }

  bool(key: string): void {
    if (typeof this.n[key] !== 'boolean') this.bad(key, 'must be true or false');
  }

  finite(key: string): void {
    if (!isFiniteNum(this.n[key])) this.bad(key, 'must be a finite number');
  }

  positive(key: string): void {
    const x = this.n[key];
    if (!isFiniteNum(x)) return this.bad(key, 'must be a finite number');
    if (x <= 0) this.v.list.add('graph/out-of-range', `${this.kind}: '${key}' must be > 0, got ${x}`, [...this.path, key], this.span);
  }

  /** lo <= x <= hi (hi exclusive unless `closed`). */
  range(key: string, lo: number, hi: number, closed: boolean): void {
    const x = this.n[key];
    if (!isFiniteNum(x)) return this.bad(key, 'must be a finite number');
    if (x < lo || x > hi || (!closed && x === hi))
      this.v.list.add('graph/out-of-range', `${this.kind}: '${key}' must lie in [${lo}, ${hi}${closed ? ']' : ')'}, got ${x}`, [...this.path, key], this.span);
  }

  gain(): void {
    const x = this.n.gain;
    if (x === undefined) return;
    if (!isFiniteNum(x) || x < 0) this.bad('gain', 'must be a finite number >= 0');
  }

  /** The input's shape: [C, H, W] or [n], within the limits. */
  shape(): void {
    const s = this.n.shape;
    if (!Array.isArray(s) || (s.length !== 1 && s.length !== 3) || !s.every(isPosInt)) return this.bad('shape', 'must be [C, H, W] or [n] with positive integers');
    if (s.length === 3) {
      if (s[0] > MAX_WIDTH) this.limit('shape', `has ${s[0]} channels; the limit is ${MAX_WIDTH}`);
      if (s[1] > MAX_SPATIAL || s[2] > MAX_SPATIAL) this.limit('shape', `is ${s[1]}x${s[2]} pixels; the limit is ${MAX_SPATIAL} a side`);
    }
    const total = s.reduce((x: number, y: number) => x * y, 1);
    if (total > MAX_ELEMENTS) this.limit('shape', `has ${total} elements; the limit is ${MAX_ELEMENTS}`);
  }

  /** A pool: its op, and a window (size, stride, padding) unless it is global. */
  pool(): void {
    if (this.name('op', POOL_NAMES) && this.n.op !== 'global') {
      this.size('size', MAX_KERNEL);
      this.size('stride', MAX_STRIDE);
      this.padding('padding');
    } else if (this.n.op === 'global')
      for (const k of ['size', 'stride', 'padding']) if (this.n[k] !== undefined) this.bad(k, 'is not an attribute of a global pool');
  }

  /** A conv's or dense's weights: bias, initialiser, gain, Scaled WS. */
  weights(): void {
    this.bool('bias');
    this.name('init', WEIGHT_INIT_NAMES, true);
    this.gain();
    this.ws();
  }

  /** Scaled WS, when present: { gamma > 0, eps >= 0 }. */
  ws(): void {
    const x = this.n.ws;
    if (x === undefined) return;
    const ok = isObj(x) && Object.keys(x).every((k) => k === 'gamma' || k === 'eps') && isFiniteNum(x.gamma) && x.gamma > 0 && isFiniteNum(x.eps) && x.eps >= 0;
    if (!ok) this.bad('ws', 'must be { gamma: a number > 0, eps: a number >= 0 }');
  }

  padding(key: string): void {
    const x = this.n[key];
    if (typeof x === 'string') {
      this.name(key, PADDING_NAMES);
      return;
    }
    if (!Number.isInteger(x) || (x as number) < 0) return this.bad(key, "must be 'same', 'valid' or a non-negative integer");
    if ((x as number) > MAX_KERNEL) this.limit(key, `is ${x}; the limit is ${MAX_KERNEL}`);
  }

  /** A name from `list` (optional: absent is fine). Returns whether it is valid. */
  name(key: string, list: readonly string[], optional = false): boolean {
    const x = this.n[key];
    if (x === undefined && optional) return true;
    if (typeof x !== 'string') {
      this.bad(key, `must be one of ${list.join(', ')}`);
      return false;
    }
    if (list.includes(x)) return true;
    this.v.list.add('graph/unknown-name', `${this.kind}: unknown ${key} '${x}'${didYouMean(x, list)} (expected one of ${list.join(', ')})`, [...this.path, key], this.span);
    return false;
  }

  body(): boolean {
    const b = this.n.body;
    if (!Array.isArray(b) || b.length === 0) {
      this.bad('body', 'must be a non-empty list of nodes');
      return false;
    }
    return true;
  }
}
