// A local pool of worker processes: at most `parallel` children at a time, each given one line on stdin
// (its task) and kept on an open stdin (closing it tells the child its parent is gone), each writing JSON
// lines on stdout. On abort no new child starts, the running ones are asked to stop (stdin closed, then
// SIGTERM) and are waited for; one that does not exit within the grace period is killed (SIGKILL).
//
// This is the one-machine engine (docs/architecture.md, "Runs, checkpoints, sweeps"); beyond one machine the same jobs (each resumable, keyed by
// its configuration hash) go to an existing job queue (BullMQ, Kubernetes indexed jobs), not to this pool.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';

export interface PoolJob {
  readonly id: string;
  readonly command: string;
  readonly args: readonly string[];
  /** The task line written to the child's stdin (a newline is added). */
  readonly input: string;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Append the child's stderr here (a log file). */
  readonly logPath?: string;
}

export interface JobOutcome {
  readonly id: string;
  /** The child's exit code (null when a signal ended it, or it never started). */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Why the child could not start, or the last lines of its stderr when it failed. */
  readonly error: string | null;
  /** Started at all (false: skipped because the pool was aborted first). */
  readonly started: boolean;
}

export interface PoolOptions {
  /** Children at a time (>= 1). */
  readonly parallel: number;
  readonly signal?: AbortSignal;
  /** Each stdout line of a child, parsed as JSON (a line that is not JSON comes as { type: 'text', text }). */
  readonly onMessage?: (id: string, message: unknown) => void;
  readonly onStart?: (id: string, pid: number | undefined) => void;
  readonly onExit?: (outcome: JobOutcome) => void;
  /** Milliseconds a child may take to stop after being asked, before SIGKILL (default 60000). */
  readonly graceMs?: number;
}

const TAIL_LINES = 20;

/** Runs every job, at most `parallel` at a time; resolves when all have exited (or were skipped after an abort). */
export function runPool(jobs: readonly PoolJob[], options: PoolOptions): Promise<JobOutcome[]> {
  if (!Number.isInteger(options.parallel) || options.parallel < 1)
    return Promise.reject(new RangeError(`runPool: parallel must be an integer >= 1, got ${options.parallel}`));
  const outcomes: JobOutcome[] = new Array(jobs.length);
  const running = new Map<number, ChildProcess>();
  let next = 0;
  let finished = 0;
  const graceMs = options.graceMs ?? 60_000;

  return new Promise((resolve) => {
    const aborted = (): boolean => options.signal?.aborted === true;
    const settle = (i: number, outcome: JobOutcome): void => {
      outcomes[i] = outcome;
      finished++;
      options.onExit?.(outcome);
      if (finished === jobs.length) {
        options.signal?.removeEventListener('abort', onAbort);
        resolve(outcomes);
      } else fill();
    };
    const fill = (): void => {
      while (running.size < options.parallel && next < jobs.length) {
        const i = next++;
        if (aborted()) settle(i, { id: jobs[i].id, code: null, signal: null, error: null, started: false });
        else start(i);
      }
    };
    const onAbort = (): void => {
      for (const child of running.values()) stopChild(child, graceMs);
      // Jobs not started yet are settled as skipped by fill() as running ones exit.
      if (running.size === 0) fill();
    };
    options.signal?.addEventListener('abort', onAbort);

    const start = (i: number): void => {
      const job = jobs[i];
      let log: WriteStream | null = null;
      if (job.logPath) log = createWriteStream(job.logPath, { flags: 'a' });
      let child: ChildProcess;
      try {
        child = spawn(job.command, [...job.args], { cwd: job.cwd, env: job.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
      } catch (e) {
        log?.end();
        settle(i, { id: job.id, code: null, signal: null, error: `cannot start '${job.command}': ${(e as Error).message}`, started: false });
        return;
      }
      running.set(i, child);
      watch(child, job, log, options, (outcome) => {
        running.delete(i);
        settle(i, outcome);
      });
      if (aborted()) stopChild(child, graceMs);
    };
    if (jobs.length === 0) resolve([]);
    else fill();
  });
}

/**
 * Feeds a started child its task and follows it: each stdout line to onMessage (parsed as JSON), stderr to
 * the job's log and a tail kept for the error message, and its outcome to `done` when it closes.
 */
function watch(child: ChildProcess, job: PoolJob, log: WriteStream | null, options: PoolOptions, done: (outcome: JobOutcome) => void): void {
  const tail: string[] = [];
  let spawnError: string | null = null;
  child.on('error', (e) => {
    spawnError = `cannot start '${job.command}': ${e.message}`;
  });
  child.stdin?.on('error', () => undefined); // the child may exit before reading its task
  child.stdin?.write(`${job.input}\n`);
  options.onStart?.(job.id, child.pid);
  lines(child.stdout, (line) => {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      message = { type: 'text', text: line };
    }
    options.onMessage?.(job.id, message);
  });
  lines(child.stderr, (line) => {
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
    log?.write(`${line}\n`);
  });
  child.on('close', (code, signal) => {
    child.stdin?.destroy();
    log?.end();
    const failed = spawnError !== null || (code !== 0 && code !== null) || signal !== null;
    done({ id: job.id, code, signal, error: spawnError ?? (failed && tail.length > 0 ? tail.join('\n') : null), started: spawnError === null });
  });
}

/** Asks a child to stop (stdin closed, SIGTERM), and kills it after `graceMs`. */
function stopChild(child: ChildProcess, graceMs: number): void {
  child.stdin?.end();
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  timer.unref();
  child.once('close', () => clearTimeout(timer));
}

/** Calls `onLine` for every complete line of `stream`, and for a last unterminated one at its end. */
function lines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (stream === null) return;
  let buffer = '';
  stream.setEncoding?.('utf8');
  stream.on('data', (chunk: string | Buffer) => {
    buffer += String(chunk);
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl).replace(/\r$/, '');
      buffer = buffer.slice(nl + 1);
      if (line.length > 0) onLine(line);
    }
  });
  stream.on('end', () => {
    if (buffer.length > 0) onLine(buffer);
    buffer = '';
  });
}
