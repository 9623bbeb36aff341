// Deterministic memory: tidy scopes (tfjs's tidy), explicit dispose, and the live-tensor counter.

import { getEngine, popScope, pushScope } from './context';
import type { Engine, MemoryInfo } from './engine';
import { Tensor } from './tensor';

/** Every Tensor inside a (nested) array or plain object. */
export function tensorsIn(value: unknown, out: Set<Tensor> = new Set()): Set<Tensor> {
  if (value instanceof Tensor) out.add(value);
  else if (Array.isArray(value)) for (const v of value) tensorsIn(v, out);
  else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) tensorsIn(v, out);
  }
  return out;
}

/**
 * Runs `fn` and disposes every tensor created inside it except those it returns (in a Tensor, an array or
 * a plain object) and those `keep()` marked. The returned tensors belong to the enclosing scope. If `fn`
 * throws, everything created inside is disposed. `fn` must be synchronous.
 */
export function tidy<T>(fn: () => T): T {
  if (typeof fn !== 'function') throw new TypeError('tidy: expected a function');
  pushScope();
  let result: T;
  try {
    result = fn();
  } catch (err) {
    popScope(null);
    throw err;
  }
  if (result instanceof Promise) {
    popScope(null);
    throw new TypeError('tidy: the function must be synchronous (it returned a Promise)');
  }
  popScope(tensorsIn(result));
  return result;
}

/** Marks `t` so that no tidy disposes it (it lives until `dispose()`); returns it. */
export function keep<T extends Tensor>(t: T): T {
  return t.keep();
}

/** Disposes every tensor in `value` (a Tensor, array or plain object of them). */
export function dispose(value: unknown): void {
  for (const t of tensorsIn(value)) t.dispose();
}

/** Live tensors and bytes of the current engine (or of `engine`). */
export function memory(engine: Engine = getEngine()): MemoryInfo {
  return engine.memory();
}
