// TensorFlow.js 4.22 as a peer: its core with every gradient, the plain-JS 'cpu' backend and the
// WebAssembly 'wasm' backend (XNNPACK, SIMD). Set up once per process, explicitly (tfSetup()).
//
// Two facts about the wasm backend in Node, both reported in the table:
//  - threads: TF.js turns multithreading off when it runs in Node (flag WASM_HAS_MULTITHREAD_SUPPORT
//    is false there; tfjs issue 3830), so it loads the SIMD binary and runs one thread;
//  - it has no Conv2DBackpropFilter kernel (a conv's weight gradient): the bench registers one built
//    from the backend's own kernels (tfjs-conv-filter.ts) and checks it against the cpu backend's.

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfwasm from '@tensorflow/tfjs-backend-wasm';
// The core package registers gradients only when asked (the union package @tensorflow/tfjs does this).
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { checkConvFilterKernel, registerConvFilterKernel } from './tfjs-conv-filter';

export type TfBackendName = 'wasm' | 'cpu';

export interface TfSetup {
  readonly versions: { readonly core: string; readonly cpu: string; readonly wasm: string };
  /** Backends that initialised, and why the others did not. */
  readonly available: ReadonlyMap<TfBackendName, true | string>;
  readonly wasm: {
    readonly simd: boolean;
    readonly multithreadSupport: boolean;
    readonly threads: number;
    /** Whether the bench registered its Conv2DBackpropFilter (false: the backend has its own). */
    readonly filterKernelRegistered: boolean;
    /** Largest relative difference (max |wasm - cpu| / max |cpu|) of that kernel from the cpu backend's, over the checked shapes. */
    readonly filterKernelError: number | null;
  };
}

let pending: Promise<TfSetup> | null = null;

/** Initialises TensorFlow.js once (both backends, the wasm binaries from node_modules). */
export function tfSetup(): Promise<TfSetup> {
  pending ??= initialise();
  return pending;
}

async function initialise(): Promise<TfSetup> {
  tf.enableProdMode(); // TF.js's recommended setting for speed: no debug checks, no warnings
  // Bundled, the wasm backend cannot find its binaries next to its own script: point it at them.
  const require = createRequire(import.meta.url);
  tfwasm.setWasmPaths(`${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`);
  const available = new Map<TfBackendName, true | string>();
  for (const name of ['cpu', 'wasm'] as const) {
    try {
      available.set(name, (await tf.setBackend(name)) ? true : `tf.setBackend('${name}') returned false`);
    } catch (error) {
      available.set(name, `initialisation failed: ${(error as Error).message}`);
    }
  }
  let filterKernelRegistered = false;
  let filterKernelError: number | null = null;
  let threads = 0;
  if (available.get('wasm') === true) {
    threads = tfwasm.getThreadsCount();
    if (!tf.getKernel('Conv2DBackpropFilter', 'wasm')) {
      registerConvFilterKernel();
      filterKernelRegistered = true;
    }
    if (available.get('cpu') === true) filterKernelError = await checkConvFilterKernel();
  }
  return {
    versions: { core: tf.version_core, cpu: (await import('@tensorflow/tfjs-backend-cpu')).version_cpu, wasm: tfwasm.version_wasm },
    available,
    wasm: {
      simd: Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')),
      multithreadSupport: Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')),
      threads,
      filterKernelRegistered,
      filterKernelError,
    },
  };
}

/** Makes `name` TensorFlow.js's current backend (cheap once initialised). */
export async function useTfBackend(name: TfBackendName): Promise<void> {
  if (tf.getBackend() === name) return;
  if (!(await tf.setBackend(name))) throw new Error(`TensorFlow.js backend '${name}' did not initialise`);
}
