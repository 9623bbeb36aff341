// Reuse of host buffers (webasm, cpu): freed Float32Arrays are kept by size and handed out again.
//
// A fresh typed array costs page faults on first touch: on the VMs this project runs on, allocating
// and filling 4 MB takes about 3 ms where copying into a warm buffer of the same size takes 0.2 ms.
// A training step allocates the same sizes every step, so after the first step nearly every result
// lands in a buffer the previous step freed. The pool is bounded in bytes (oldest sizes dropped first).

export class BufferPool {
  private readonly free = new Map<number, Float32Array[]>();
  private bytes = 0;
  /** Arrays made because none of the size was free: a repeated step in its steady state makes none. */
  created = 0;

  constructor(readonly maxBytes: number) {
    if (!(maxBytes >= 0)) throw new RangeError(`buffer pool: maxBytes must be >= 0, got ${maxBytes}`);
  }

  /** A buffer of `size` floats with arbitrary contents (the caller overwrites all of it). */
  take(size: number): Float32Array {
    const found = this.free.get(size)?.pop();
    if (found === undefined) {
      this.created++;
      return new Float32Array(size);
    }
    this.bytes -= size * 4;
    return found;
  }

  /** Returns a buffer the caller no longer references. Views, shared and foreign buffers are not kept. */
  give(buffer: Float32Array): void {
    const size = buffer.length;
    if (size === 0 || buffer.byteOffset !== 0 || buffer.buffer.byteLength !== size * 4 || buffer.buffer instanceof SharedArrayBuffer || size * 4 > this.maxBytes) return;
    const list = this.free.get(size) ?? [];
    // most recently used sizes last: eviction walks the map from the front
    this.free.delete(size);
    this.free.set(size, list);
    list.push(buffer);
    this.bytes += size * 4;
    for (const [s, l] of this.free) {
      if (this.bytes <= this.maxBytes) break;
      while (l.length > 0 && this.bytes > this.maxBytes) {
        l.shift();
        this.bytes -= s * 4;
      }
      if (l.length === 0) this.free.delete(s);
    }
  }

  clear(): void {
    this.free.clear();
    this.bytes = 0;
  }
}
