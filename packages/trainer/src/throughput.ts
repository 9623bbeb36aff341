// Examples per second over a window of recent steps, and the time left at that pace. Wall-clock
// numbers: they go to events and timing.jsonl, never to metrics.jsonl.

export class Throughput {
  private readonly times: number[] = [];
  private readonly counts: number[] = [];
  private readonly start: number;
  private last: number;
  private totalExamples = 0;

  constructor(
    private readonly clock: () => number,
    private readonly window = 50,
  ) {
    this.start = clock();
    this.last = this.start;
  }

  /** Marks the end of a step of `examples` examples. */
  step(examples: number): void {
    const now = this.clock();
    this.times.push(now - this.last);
    this.counts.push(examples);
    if (this.times.length > this.window) {
      this.times.shift();
      this.counts.shift();
    }
    this.last = now;
    this.totalExamples += examples;
  }

  /** Excludes time spent outside steps (evaluation, checkpoints) from the pace. */
  pause(): void {
    this.last = this.clock();
  }

  /** Examples per second over the window (0 before the first step). */
  get examplesPerSecond(): number {
    const t = this.times.reduce((a, b) => a + b, 0);
    return t > 0 ? (this.counts.reduce((a, b) => a + b, 0) * 1000) / t : 0;
  }

  /** Seconds per step over the window. */
  get secondsPerStep(): number {
    return this.times.length > 0 ? this.times.reduce((a, b) => a + b, 0) / this.times.length / 1000 : 0;
  }

  /** Seconds since construction. */
  get elapsedSeconds(): number {
    return (this.clock() - this.start) / 1000;
  }

  /** Examples per second over the whole run so far. */
  get overallExamplesPerSecond(): number {
    const s = this.elapsedSeconds;
    return s > 0 ? this.totalExamples / s : 0;
  }
}
