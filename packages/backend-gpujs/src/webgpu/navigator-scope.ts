// gpu.js's webgpu mode finds WebGPU through the global `navigator.gpu`, which Node does not have. The
// engine gives it one only while gpu.js is inside the engine's own calls (building a GPU instance,
// compiling a kernel, calling it: the moments gpu.js reads navigator.gpu), and puts the global back as it
// was after each: a program's own `navigator` is never replaced, and one that has a `gpu` already keeps
// it (gpu.js then uses that one, as in a page).

/** Runs `fn` with navigator.gpu answering as the engine's WebGPU does, then restores the global. */
export type NavigatorScope = <T>(fn: () => T) => T;

type Holder = { navigator?: { gpu?: unknown } };

/** The scope for `gpu` (an object with requestAdapter, as dawn.ts's navigatorGpuFor gives). */
export function navigatorScope(gpu: unknown): NavigatorScope {
  let depth = 0;
  return <T>(fn: () => T): T => {
    const g = globalThis as Holder;
    if (depth > 0 || g.navigator?.gpu !== undefined) return fn();
    const hadNavigator = Object.prototype.hasOwnProperty.call(globalThis, 'navigator') || g.navigator !== undefined;
    if (hadNavigator) Object.defineProperty(g.navigator!, 'gpu', { value: gpu, configurable: true, writable: true });
    else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
    depth++;
    try {
      return fn();
    } finally {
      depth--;
      if (hadNavigator) delete (g.navigator as { gpu?: unknown }).gpu;
      else delete g.navigator;
    }
  };
}
