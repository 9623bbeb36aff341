// DataIds of this backend and the ledger that counts them.

import type { BackendMemory, DataId, Shape } from '@skipinit/tensor';
import type { Payload } from './executor';
import { checkSize } from './validate';

let nextId = 1;

/** Storage owned by one GpuJsBackend: `payload` is a Float32Array, a texture, or a Promise of a buffer. */
export class GpuData implements DataId {
  readonly id = nextId++;
  disposed = false;

  constructor(
    readonly owner: object,
    readonly size: number,
    public payload: Payload,
    /** A workspace (conv2dTraining's): counted against the backend's workspace bound while it lives. */
    readonly workspace = false,
  ) {}
}

/** `id` as live storage of `owner` holding `holds` (a count, or a shape: checked, and its count); errors name the op and the input. */
export function storageOf(owner: object, op: string, what: string, id: DataId, holds?: number | Shape): GpuData {
  if (!(id instanceof GpuData) || id.owner !== owner) throw new TypeError(`${op}: ${what} is not storage of this gpujs backend`);
  if (id.disposed) throw new Error(`${op}: ${what} was disposed`);
  if (typeof holds === 'number' && id.size !== holds) throw new RangeError(`${op}: ${what} holds ${id.size} elements, expected ${holds}`);
  if (typeof holds === 'object') checkSize(op, what, id.size, holds);
  return id;
}

/** Counts live DataIds and their bytes (4 per element: float32 everywhere), workspaces apart too. */
export class MemoryLedger {
  private readonly live = new Set<GpuData>();
  private bytes = 0;
  /** Bytes of the live workspaces. */
  workspaceBytes = 0;

  add(d: GpuData): GpuData {
    this.live.add(d);
    this.bytes += d.size * 4;
    if (d.workspace) this.workspaceBytes += d.size * 4;
    return d;
  }

  remove(d: GpuData): boolean {
    if (!this.live.delete(d)) return false;
    this.bytes -= d.size * 4;
    if (d.workspace) this.workspaceBytes -= d.size * 4;
    return true;
  }

  memory = (): BackendMemory => ({ numDataIds: this.live.size, numBytes: this.bytes });
  all = (): GpuData[] => [...this.live];
}
