// DataIds of this backend and the ledger that counts them.

import type { BackendMemory, DataId } from '@skipinit/tensor';
import type { Payload } from './device';

let nextId = 1;

/** Storage owned by one GpuJsBackend: `payload` is a Float32Array, a texture, or a Promise of a buffer. */
export class GpuData implements DataId {
  readonly id = nextId++;
  disposed = false;

  constructor(
    readonly owner: object,
    readonly size: number,
    public payload: Payload,
  ) {}
}

/** Counts live DataIds and their bytes (4 per element: float32 everywhere). */
export class MemoryLedger {
  private readonly live = new Set<GpuData>();
  private bytes = 0;

  add(d: GpuData): GpuData {
    this.live.add(d);
    this.bytes += d.size * 4;
    return d;
  }

  remove(d: GpuData): boolean {
    if (!this.live.delete(d)) return false;
    this.bytes -= d.size * 4;
    return true;
  }

  memory(): BackendMemory {
    return { numDataIds: this.live.size, numBytes: this.bytes };
  }

  all(): GpuData[] {
    return [...this.live];
  }
}
