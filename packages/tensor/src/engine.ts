// The Engine: one backend, the seeded RNG that creation ops and dropout draw from by default, and the
// accounting of live tensors and storage.
//
// Storage is reference counted: a reshape, a `detach()`, or a tape node that saved a tensor for backward
// shares its `Storage` with the original, and the backend's DataId is freed when the last holder lets go.
// A Tensor handle is disposed exactly once (dispose(), a tidy scope, or zeroGrad for a `.grad`).

import type { Backend, BackendMemory, DataId, Shape } from './backend';
import { setCurrentEngine, track } from './context';
import { Rng } from './rng';
import { sizeOf } from './shape';
import { Tensor } from './tensor';
import type { Node } from './tape';

/** Bytes per element as tensors count them: float32 semantics, whatever the backend stores. */
export const BYTES_PER_ELEMENT = 4;

/** A backend DataId with a reference count and a version (bumped by in-place updates). */
export class Storage {
  refs = 1;
  version = 0;
  constructor(
    readonly engine: Engine,
    readonly id: DataId,
    readonly size: number,
  ) {}

  retain(): this {
    this.refs++;
    return this;
  }

  release(): void {
    if (--this.refs === 0) this.engine.freeStorage(this);
  }
}

export interface MemoryInfo {
  /** Live Tensor handles (a reshape of a tensor is a second handle on the same storage). */
  readonly numTensors: number;
  /** Live storages (handles and tape nodes share them). */
  readonly numDataBuffers: number;
  /** Bytes of the live storages, at 4 bytes per element (float32 semantics). */
  readonly numBytes: number;
  /** What the backend itself reports (its own precision: 8 bytes per element on the reference backend). */
  readonly backend: BackendMemory;
}

export interface EngineOptions {
  /** Seed of the engine's RNG (default 0: runs are reproducible unless you choose otherwise). */
  readonly seed?: number;
}

export class Engine {
  /** The generator creation ops (`randn`, `rand`) and `dropout` use when no `rng` is passed. */
  rng: Rng;
  private tensors = 0;
  private buffers = 0;
  private bytes = 0;
  private nextId = 0;
  private destroyed = false;

  constructor(
    readonly backend: Backend,
    options: EngineOptions = {},
  ) {
    if (backend === null || typeof backend !== 'object' || typeof backend.upload !== 'function') {
      throw new TypeError(`Engine: expected a Backend (e.g. new ReferenceBackend()), got ${String(backend)}`);
    }
    this.rng = new Rng(options.seed ?? 0);
  }

  /** Reseeds the engine's RNG (torch.manual_seed). */
  manualSeed(seed: number): void {
    this.rng = new Rng(seed);
  }

  memory(): MemoryInfo {
    return {
      numTensors: this.tensors,
      numDataBuffers: this.buffers,
      numBytes: this.bytes,
      backend: this.backend.memory(),
    };
  }

  /** Frees the backend (kernels, workers). Tensors of this engine are unusable afterwards. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.backend.destroy();
  }

  get isDestroyed(): boolean {
    return this.destroyed;
  }

  // ---- internal: used by ops and the tape -------------------------------------------------------

  /** Wraps a new DataId in a Storage (refs = 1, owned by the caller). */
  storage(id: DataId): Storage {
    this.buffers++;
    this.bytes += id.size * BYTES_PER_ELEMENT;
    return new Storage(this, id, id.size);
  }

  /** A new tracked tensor handle on `data` (a fresh DataId, or a Storage it then shares). */
  wrap(data: DataId | Storage, shape: Shape, node: Node | null = null): Tensor {
    const storage = data instanceof Storage ? data.retain() : this.storage(data);
    if (storage.size !== sizeOf(shape)) {
      throw new Error(`internal: storage of ${storage.size} elements cannot hold shape [${shape.join(',')}]`);
    }
    const t = new Tensor(this, storage, shape, node, this.nextId++);
    this.tensors++;
    track(t);
    return t;
  }

  /** Called once per handle by Tensor.dispose. */
  handleDisposed(): void {
    this.tensors--;
  }

  freeStorage(s: Storage): void {
    this.buffers--;
    this.bytes -= s.size * BYTES_PER_ELEMENT;
    if (!this.destroyed) this.backend.dispose(s.id);
  }
}

/** Makes a new Engine on `backend` the current one (what free functions such as `tensor()` use) and returns it. */
export function setBackend(backend: Backend, options: EngineOptions = {}): Engine {
  const engine = new Engine(backend, options);
  setCurrentEngine(engine);
  return engine;
}
