// Where a step's results and figures go, and reading results back.
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OutputFile, SignalFile } from '@skipinit/analysis';
import { writeOutputFiles } from '@skipinit/analysis';
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

/** Seconds each step took when it last ran (kept so a doc rebuilt from cached results still says how long they took). */
export class Timings {
  private readonly path: string;
  private readonly data: Record<string, number>;
  constructor(runs: string) {
    this.path = join(runs, 'timings.json');
    this.data = existsSync(this.path) ? (JSON.parse(readFileSync(this.path, 'utf8')) as Record<string, number>) : {};
  }
  get(key: string): number | null {
    return this.data[key] ?? null;
  }
  add(key: string, seconds: number): void {
    this.data[key] = (this.data[key] ?? 0) + seconds;
  }
  set(key: string, seconds: number): void {
    this.data[key] = seconds;
  }
  save(write: (path: string, text: string) => void): void {
    write(this.path, `${JSON.stringify(this.data, null, 2)}\n`);
  }
  total(): number {
    return Object.values(this.data).reduce((a, b) => a + b, 0);
  }
}
