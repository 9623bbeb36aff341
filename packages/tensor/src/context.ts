// Process-wide state: the current engine (set explicitly with `setBackend`), the stack of tidy scopes,
// and the grad mode. Scopes and grad mode are global, as in tfjs and torch: a `tidy` tracks every tensor
// created inside it whatever engine made it, and `noGrad` turns recording off for every engine.

import type { Engine } from './engine';
import type { Tensor } from './tensor';

let current: Engine | null = null;

/** The engine `setBackend` made current; throws if there is none. */
export function getEngine(): Engine {
  if (current === null) {
    throw new Error(
      'no tensor backend set: call setBackend(backend) first, e.g. setBackend(new ReferenceBackend()) ' +
        "or setBackend(createGpuJsBackend()) from '@skipinit/backend-gpujs' (or pass { engine } explicitly)",
    );
  }
  return current;
}

/** The current engine, or null when none is set. */
export function currentEngine(): Engine | null {
  return current;
}

export function setCurrentEngine(engine: Engine | null): void {
  current = engine;
}

// ---- scopes ------------------------------------------------------------------------------------

const scopes: Tensor[][] = [];

/** Records a new tensor in the innermost scope (tensors made outside every scope are not tracked). */
export function track(t: Tensor): void {
  if (scopes.length > 0) scopes[scopes.length - 1].push(t);
}

export function pushScope(): void {
  scopes.push([]);
}

/** Pops the innermost scope: disposes its tensors except `keep` (and kept ones), which move to the parent scope. */
export function popScope(keep: ReadonlySet<Tensor> | readonly (Tensor | null)[] | null): void {
  const scope = scopes.pop();
  if (scope === undefined) throw new Error('internal: popScope without a scope');
  const parent = scopes.length > 0 ? scopes[scopes.length - 1] : null;
  for (const t of scope) {
    if (t.isDisposed || t.isKept) continue;
    if (keep !== null && (Array.isArray(keep) ? keep.includes(t) : (keep as ReadonlySet<Tensor>).has(t))) {
      if (parent !== null) parent.push(t);
    } else {
      t.dispose();
    }
  }
}

export function scopeDepth(): number {
  return scopes.length;
}

// ---- grad mode ---------------------------------------------------------------------------------

let gradEnabled = true;

export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Runs `fn` with grad recording set to `enabled`, restoring the previous mode afterwards. */
export function withGradMode<T>(enabled: boolean, fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = enabled;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}
