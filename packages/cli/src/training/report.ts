// What `skipinit train` / `resume` show while a run goes: with --json, one JSON object per event on stdout
// and nothing else there; otherwise a header, a line per epoch and per evaluation, and on a terminal a
// progress bar (loss, accuracy, examples/s, ETA) redrawn in place below them. Off a terminal (a log file,
// a pipe, CI) a progress line instead, whenever PROGRESS_EVERY_MS pass without a line: an epoch of the
// MNIST example takes 13 minutes, and a log that stays silent that long looks like a hang.
import type { TrainCallbacks, TrainEvent, TrainSummary } from '@skipinit/trainer';
import type { Io } from '../io';
import { count, duration, loss, percent, rate } from './format';
import { shown } from './run-command';

const BAR = 24;
/** Least milliseconds between two redraws of the progress bar. */
const REDRAW_MS = 100;
/** Off a terminal: a progress line when this long passes without any line. */
export const PROGRESS_EVERY_MS = 10_000;

export interface Reporter {
  readonly callbacks: TrainCallbacks;
}

export interface ReporterOptions {
  readonly json: boolean;
  /** The backend's lines (the mode that runs, then one per skipped mode; see backendLines). */
  readonly backend: readonly string[];
  /** The memory estimate line of the header. */
  readonly memory?: string;
  readonly command: string;
  readonly target: string;
  /** Milliseconds (default performance.now); tests pass their own. */
  readonly now?: () => number;
}

export function reporter(io: Io, options: ReporterOptions): Reporter {
  const out = io.stdout;
  const tty = !options.json && out.isTTY;
  const now = options.now ?? (() => performance.now());
  let lastLine = now();
  let barShown = false;
  let lastDraw = -Infinity;
  let epochLoss = 0;
  let epochCorrect = 0;
  let epochCount = 0;
  let totalEpochs = 1;
  const clearBar = (): void => {
    if (barShown) out.write('\r\x1b[K');
    barShown = false;
  };
  const line = (text: string): void => {
    clearBar();
    out.write(`${text}\n`);
    lastLine = now();
  };

  const human = (e: TrainEvent): void => {
    switch (e.type) {
      case 'trainBegin':
        totalEpochs = Math.ceil(e.total_steps / e.steps_per_epoch);
        headerLines(io, options, e).forEach(line);
        return;
      case 'batchEnd': {
        if (e.batch === 0 || epochCount === 0) {
          epochLoss = 0;
          epochCorrect = 0;
          epochCount = 0;
        }
        epochLoss += e.loss;
        epochCorrect += e.accuracy;
        epochCount++;
        const stats = `step ${e.step}/${e.total_steps}  epoch ${e.epoch + 1}/${totalEpochs}  loss ${loss(epochLoss / epochCount)}  acc ${percent(epochCorrect / epochCount)}  ${rate(e.examples_per_s)} ex/s  ETA ${duration(e.eta_s)}`;
        if (!tty) {
          if (now() - lastLine >= PROGRESS_EVERY_MS) line(`${(100 * (e.step / e.total_steps)).toFixed(0).padStart(3)}%  ${stats}`);
          return;
        }
        const t = now();
        if (t - lastDraw < REDRAW_MS && e.step !== e.total_steps) return;
        lastDraw = t;
        const frac = e.step / e.total_steps;
        const filled = Math.round(frac * BAR);
        const bar = `[${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? '>' : ''}${' '.repeat(BAR - filled)}]`;
        out.write(`\r\x1b[K${bar} ${(100 * frac).toFixed(0).padStart(3)}%  ${stats}`);
        barShown = true;
        return;
      }
      case 'epochEnd':
        epochCount = 0;
        line(`epoch ${e.epoch + 1}/${totalEpochs}  step ${e.step}  loss ${loss(e.loss)}  acc ${percent(e.accuracy)}  ${rate(e.examples_per_s)} ex/s  ${duration(e.elapsed_s)}`);
        return;
      case 'eval':
        line(`eval  step ${e.step}  ${e.split}  loss ${loss(e.loss)}  acc ${percent(e.accuracy)}${e.best ? '  (best so far)' : ''}  ${e.seconds.toFixed(1)}s`);
        return;
      case 'checkpoint':
        return;
      case 'end':
        line(endLine(e.summary, (p) => shown(io, p)));
        return;
    }
  };

  return { callbacks: { onEvent: options.json ? (e) => jsonEvent(io, options, e) : human } };
}

/** The run's header: where it writes, the backend, the memory estimate, the model, the data and the recipe. */
function headerLines(io: Io, options: ReporterOptions, e: Extract<TrainEvent, { type: 'trainBegin' }>): string[] {
  const c = e.config;
  const t = c.train;
  const o = t.optimizer;
  const opt = [
    `lr=${o.lr}`,
    o.momentum > 0 ? `momentum=${o.momentum}` : '',
    o.nesterov ? 'nesterov' : '',
    o.beta1 !== undefined ? `betas=${o.beta1},${o.beta2} eps=${o.eps}` : '',
    o.weightDecay > 0 ? `weight_decay=${o.weightDecay}${o.decay === 'weights' ? ' (weights only)' : ''}` : '',
    o.clipGradNorm !== undefined ? `clip_grad_norm=${o.clipGradNorm}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const sched = `${t.schedule.name}${t.schedule.warmup > 0 ? `, warmup ${t.schedule.warmup} steps` : ''}`;
  const length = t.steps !== null ? `${count(e.total_steps)} steps` : `${t.epochs} epoch${t.epochs === 1 ? '' : 's'} (${count(e.total_steps)} steps)`;
  return [
    `skipinit ${options.command} ${options.target}${e.run_dir ? ` -> ${shown(io, e.run_dir)}` : ''}${e.resumed ? ` (resuming at step ${e.step})` : ''}`,
    ...options.backend.map((l, i) => `  ${i === 0 ? 'backend' : '       '}  ${l}`),
    ...(options.memory ? [`  memory   ${options.memory}`] : []),
    `  model    ${c.name}: ${count(e.parameters)} parameters`,
    `  data     ${t.data.name}: ${count(e.train_examples)} train, ${count(e.eval_examples)} ${e.eval_split}; batch ${t.data.batch}, ${count(e.steps_per_epoch)} steps per epoch${t.augment.length ? `; augment ${t.augment.join(', ')}` : ''}`,
    `  recipe   ${o.name} ${opt}; schedule ${sched}; ${length}; seed ${t.seed}`,
  ];
}

/** --json: each event as one JSON object on stdout; only the header line goes to stderr. */
function jsonEvent(io: Io, options: { backend: readonly string[]; command: string; target: string }, e: TrainEvent): void {
  if (e.type === 'trainBegin') {
    io.stderr.write(`skipinit ${options.command} ${options.target}${e.run_dir ? ` -> ${shown(io, e.run_dir)}` : ''}${e.resumed ? ` (resuming at step ${e.step})` : ''}; backend ${options.backend[0]}\n`);
  }
  const record = e.type === 'end' ? { type: 'end', ...e.summary } : e;
  io.stdout.write(`${JSON.stringify(record)}\n`);
}

function endLine(s: TrainSummary, show: (path: string) => string): string {
  const where = s.run_dir ? `\n  run directory ${show(s.run_dir)}` : '';
  switch (s.status) {
    case 'completed': {
      const best = s.best ? `; best ${s.best.split} accuracy ${percent(s.best.accuracy)} at step ${s.best.step}` : '';
      const val = s.validation_accuracy !== null ? `, validation ${percent(s.validation_accuracy)}` : '';
      return `done: test accuracy ${percent(s.test_accuracy)} (loss ${loss(s.test_loss)})${val} after ${count(s.steps)} steps in ${duration(s.elapsed_s)} (${rate(s.examples_per_s)} examples/s)${best}${where}`;
    }
    case 'interrupted':
      return `interrupted at step ${s.steps} of ${s.total_steps}; checkpoint saved. Continue with: skipinit resume ${s.run_dir ? show(s.run_dir) : 'RUN_DIR'}${where}`;
    case 'diverged':
      return `${s.message}${where}`;
  }
}
