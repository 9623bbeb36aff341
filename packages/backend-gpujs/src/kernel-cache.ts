// A bounded least-recently-used cache of compiled kernels, with statistics. A gpu.js kernel is compiled
// once per (kernel, parameters) — its source bakes the sizes in — and each compiled WebAssembly kernel
// owns a wasm memory sized for its arguments and output. The cache is bounded both by count and by those
// bytes; an evicted kernel is destroyed, which frees it.

export interface KernelCacheStats {
  /** Calls that found their kernel compiled. */
  readonly hits: number;
  /** Calls that compiled a kernel. */
  readonly misses: number;
  /** Kernels destroyed to stay within the bounds. */
  readonly evictions: number;
  /** Kernels held now. */
  readonly size: number;
  /** Approximate bytes the held kernels pin (their argument and output buffers). */
  readonly bytes: number;
  readonly maxKernels: number;
  readonly maxBytes: number;
  /** Kernels compiled so far, per op label. */
  readonly compiledByOp: Readonly<Record<string, number>>;
}

export type CacheLimits = { readonly maxKernels: number; readonly maxBytes: number };
/** `used`: a stamp of the last use (least recently used evicted first; a hit costs one map lookup). */
type Entry<V> = { readonly value: V; bytes: number; used: number };

export class KernelCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private hits = 0;
  private misses = 0;
  private evictions = 0;
  private bytes = 0;
  private clock = 0;
  private readonly compiledByOp: Record<string, number> = {};

  constructor(
    private readonly limits: CacheLimits,
    private readonly release: (value: V) => void,
  ) {
    if (!(limits.maxKernels >= 1)) throw new RangeError(`kernel cache: maxKernels must be >= 1, got ${limits.maxKernels}`);
    if (!(limits.maxBytes > 0)) throw new RangeError(`kernel cache: maxBytes must be > 0, got ${limits.maxBytes}`);
  }

  /** The cached value for `key` (a hit), or undefined. */
  get(key: string): V | undefined {
    const found = this.entries.get(key);
    if (found === undefined) return undefined;
    this.hits++;
    found.used = ++this.clock;
    return found.value;
  }

  /** The cached value for `key`, or the one `compile` makes (then cached, evicting as needed). */
  getOrCompile(key: string, compile: () => { value: V; bytes: number; op: string }): V {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    this.misses++;
    const made = compile();
    this.compiledByOp[made.op] = (this.compiledByOp[made.op] ?? 0) + 1;
    this.entries.set(key, { value: made.value, bytes: made.bytes, used: ++this.clock });
    this.bytes += made.bytes;
    this.evict(key);
    return made.value;
  }

  /** Updates the byte estimate of an entry (known only after its first run). */
  setBytes(key: string, bytes: number): void {
    const entry = this.entries.get(key);
    if (!entry || entry.bytes === bytes) return;
    this.bytes += bytes - entry.bytes;
    entry.bytes = bytes;
    this.evict(key);
  }

  private evict(keep: string): void {
    while (this.entries.size > this.limits.maxKernels || this.bytes > this.limits.maxBytes) {
      let oldest: [string, Entry<V>] | null = null;
      for (const e of this.entries) if (e[0] !== keep && (oldest === null || e[1].used < oldest[1].used)) oldest = e;
      if (oldest === null) return;
      this.entries.delete(oldest[0]);
      this.bytes -= oldest[1].bytes;
      this.evictions++;
      this.release(oldest[1].value);
    }
  }

  stats(): KernelCacheStats {
    return {
      hits: this.hits,
      misses: this.misses,
      evictions: this.evictions,
      size: this.entries.size,
      bytes: this.bytes,
      maxKernels: this.limits.maxKernels,
      maxBytes: this.limits.maxBytes,
      compiledByOp: { ...this.compiledByOp },
    };
  }

  /** Destroys every kernel. */
  clear(): void {
    for (const entry of this.entries.values()) this.release(entry.value);
    this.entries.clear();
    this.bytes = 0;
  }
}
