// Where a step's results and figures go, and reading results back.
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { OutputFile, SignalFile } from '@skipinit/analysis/node';
import { writeOutputFiles } from '@skipinit/analysis/node';
import type { TrainSummary } from '@skipinit/trainer';
import { ROOT } from './run-cli';

export interface Paths {
  /** The runs of this reproduction (absolute), and as given (relative to the repository, for the doc). */
  readonly runs: string;
  readonly rel: string;
  /** The directory of the doc (absolute) and its figures directory, relative to it. */
  readonly docs: string;
  readonly figures: string;
}

export function paths(runs: string, docs: string): Paths {
  return { runs: join(ROOT, runs), rel: runs, docs: join(ROOT, docs), figures: 'reproduction' };
}

/** Copies `from` (a file) into the doc's figures as `name`; returns the doc-relative path. */
export function figure(p: Paths, from: string, name: string): string {
  mkdirSync(join(p.docs, p.figures), { recursive: true });
  copyFileSync(from, join(p.docs, p.figures, name));
  return `${p.figures}/${name}`;
}

/** Writes plot files into the figures as `<prefix>-<name>`; returns the doc-relative path of the PNG. */
export function figureFiles(p: Paths, prefix: string, files: readonly OutputFile[]): string {
  const kept = files.filter((f) => f.name.endsWith('.png') || f.name.endsWith('.svg')).map((f) => ({ ...f, name: `${prefix}${f.name.slice(f.name.lastIndexOf('.'))}` }));
  writeOutputFiles(join(p.docs, p.figures), kept);
  return `${p.figures}/${prefix}.png`;
}

export function readSignalFile(dir: string): SignalFile | null {
  const path = join(dir, 'signal.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as SignalFile) : null;
}

export function readSummary(dir: string): TrainSummary | null {
  const path = join(dir, 'summary.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as TrainSummary) : null;
}

/**
 * Seconds each experiment took when it last ran, the machine it ran on and the load average (1 minute)
 * after each: kept with the results, so a doc rebuilt from cached results still says how long they took
 * and how busy the machine was.
 */
export class Timings {
  private readonly path: string;
  private readonly seconds: Record<string, number>;
  private readonly loads: number[];
  private ranOn: string | null;
  constructor(
    runs: string,
    private readonly machine: string,
  ) {
    this.path = join(runs, 'timings.json');
    const stored = existsSync(this.path) ? (JSON.parse(readFileSync(this.path, 'utf8')) as { seconds?: Record<string, number>; loads?: number[]; machine?: string | null }) : {};
    // (a first version stored the seconds as the whole file)
    this.seconds = stored.seconds ?? (Object.values(stored).every((v) => typeof v === 'number') ? (stored as Record<string, number>) : {});
    this.loads = stored.loads ?? [];
    this.ranOn = stored.machine ?? null;
  }
  get(key: string): number | null {
    return this.seconds[key] ?? null;
  }
  /** An experiment ran for `seconds`: replaces (`set`) or adds to (`add`, a resumed run) its time. */
  ran(key: string, seconds: number, how: 'set' | 'add'): void {
    this.seconds[key] = how === 'add' ? (this.seconds[key] ?? 0) + seconds : seconds;
    this.loads.push(Number(loadavg()[0].toFixed(2)));
    this.ranOn ??= this.machine;
  }
  /** The machine the experiments ran on (this one when none is recorded). */
  get machineText(): string {
    return this.ranOn ?? this.machine;
  }
  /** The 1-minute load average after each experiment: [min, max], or null. */
  get loadRange(): [number, number] | null {
    return this.loads.length === 0 ? null : [Math.min(...this.loads), Math.max(...this.loads)];
  }
  save(write: (path: string, text: string) => void): void {
    write(this.path, `${JSON.stringify({ seconds: this.seconds, loads: this.loads, machine: this.ranOn }, null, 2)}\n`);
  }
  total(): number {
    return Object.values(this.seconds).reduce((a, b) => a + b, 0);
  }
}
