// One cell's child process, as a queue worker runs it: a CPU-bound training loop must not run in the
// process that renews the job's lock with Redis, so it runs in a child (analysis's runSweepWorker with the
// store's CellSync). The task goes on the child's stdin, which stays open as a lifeline; progress comes
// back as JSON lines on its stdout.
//
//   stop()    SIGTERM: the child stops after its current step, checkpoints, pushes to the store, exits 130
//   orphan()  stdin closed: the child stops without touching the store, because the cell's lease has
//             passed to another worker (killed if it is still there after ORPHAN_GRACE_MS)
import { spawn } from 'node:child_process';
import type { CellTask, WorkerCommand, WorkerMessage } from '@skipinit/analysis/node';

export interface CellExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The child's 'end' message (its result), if it sent one. */
  readonly end: Extract<WorkerMessage, { type: 'end' }> | null;
  /** Its 'error' message, or why it could not start. */
  readonly error: string | null;
  /** Everything it wrote on stderr. */
  readonly stderr: string;
}

export interface CellProcess {
  readonly pid: number | undefined;
  readonly exit: Promise<CellExit>;
  stop(): void;
  orphan(): void;
}

const STDERR_LIMIT = 1 << 20;
const ORPHAN_GRACE_MS = 30_000;

export function startCell(command: WorkerCommand, task: CellTask, onMessage: (m: WorkerMessage) => void): CellProcess {
  const child = spawn(command.command, [...command.args], { env: command.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
  let end: CellExit['end'] = null;
  let error: string | null = null;
  let stderr = '';
  let buffer = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      let m: WorkerMessage;
      try {
        m = JSON.parse(line) as WorkerMessage;
      } catch {
        continue; // not a message (a library printing to stdout): left out
      }
      if (m.type === 'end') end = m;
      if (m.type === 'error') error = m.message;
      onMessage(m);
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    if (stderr.length < STDERR_LIMIT) stderr += chunk;
  });
  child.stdin.on('error', () => undefined); // the child may exit before reading its task
  child.stdin.write(`${JSON.stringify(task)}\n`);
  const exit = new Promise<CellExit>((resolve) => {
    child.on('error', (e) => (error = `cannot start '${command.command}': ${e.message}`));
    child.on('close', (code, signal) => {
      child.stdin.destroy();
      resolve({ code, signal, end, error, stderr });
    });
  });
  return {
    pid: child.pid,
    exit,
    stop: () => void child.kill('SIGTERM'),
    orphan: () => {
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), ORPHAN_GRACE_MS);
      timer.unref();
      child.once('close', () => clearTimeout(timer));
    },
  };
}
