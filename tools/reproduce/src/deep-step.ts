// P4: a 1000-block residual MLP trained on MNIST without normalisation (x + f(x): init=plain), with SkipInit,
// and with batch norm, by the same recipe (examples/deep-mlp.arch, shortened).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedTrainSpec } from '@skipinit/graph';
import type { TrainSummary } from '@skipinit/trainer';
import { plotFiles, readMetrics, trainingCurvesSpec } from '@skipinit/analysis/node';
import type { Paths, Timings } from './outputs';
import { figureFiles, readSummary } from './outputs';
import { shownCommand, skipinit } from './run-cli';
import type { Settings } from './settings';

export interface DeepRun {
  readonly scheme: 'plain' | 'skipinit' | 'bn';
  readonly command: string;
  readonly summary: TrainSummary;
  /** Training loss of the first logged step. */
  readonly firstLoss: number | null;
}

const SCHEMES = [
  { scheme: 'plain', norm: 'none', init: 'plain' },
  { scheme: 'skipinit', norm: 'none', init: 'skipinit' },
  { scheme: 'bn', norm: 'bn', init: 'plain' },
] as const;

export async function deepStep(s: Settings, p: Paths, timings: Timings, fresh: boolean): Promise<{ runs: DeepRun[]; curves: string; recipe: string }> {
  const d = s.deep;
  const runs: DeepRun[] = [];
  for (const x of SCHEMES) {
    const dir = join(p.runs, 'p4', x.scheme);
    const sets = [`depth=${d.depth}`, `width=${d.width}`, `norm=${x.norm}`, `init=${x.init}`, `steps=${d.steps}`, `warmup=${d.warmup}`, `eval_every=${d.steps}`];
    const args = ['train', 'examples/deep-mlp.arch', ...sets.flatMap((v) => ['--set', v])];
    const command = shownCommand([...args, '--out', `${p.rel}/p4/${x.scheme}`]);
    let summary = fresh ? null : readSummary(dir);
    if (summary === null || summary.status === 'interrupted') {
      // An interrupted run continues from its checkpoint; anything else starts from scratch.
      const again = !fresh && existsSync(join(dir, 'last.safetensors'));
      if (!again) rmSync(dir, { recursive: true, force: true });
      const r = await skipinit(again ? ['resume', dir] : [...args, '--out', dir], join(p.runs, 'p4', `${x.scheme}.stdout.txt`));
      if (r.code !== 0 && r.code !== 3) throw new Error(`${command} exited ${r.code}`);
      timings.ran(`p4 ${x.scheme}`, r.seconds, again ? 'add' : 'set');
      summary = readSummary(dir);
      if (summary === null) throw new Error(`${command} wrote no summary.json`);
    }
    const first = readMetrics(dir).find((m) => m.type === 'step' || m.type === 'diverged');
    runs.push({ scheme: x.scheme, command, summary, firstLoss: typeof first?.loss === 'number' ? first.loss : null });
  }
  const curves = figureFiles(
    p,
    'p4-curves',
    await plotFiles(
      'curves',
      trainingCurvesSpec(
        runs.map((r) => ({ label: r.scheme, metrics: readMetrics(join(p.runs, 'p4', r.scheme)) })),
        { title: `P4: ${d.depth}-block residual MLP (width ${d.width}) on MNIST, training loss and test accuracy` },
      ),
    ),
  );
  // The recipe as the runs resolved it (config.json), not as this script assumes the example says.
  const t = (JSON.parse(readFileSync(join(p.runs, 'p4', 'skipinit', 'config.json'), 'utf8')) as { train: ResolvedTrainSpec }).train;
  const o = t.optimizer;
  const recipe = `batch ${t.data.batch}, SGD lr ${o.lr} (${o.nesterov ? 'Nesterov ' : ''}momentum ${o.momentum}, weight decay ${o.weightDecay}), ${t.schedule.name} schedule with ${t.schedule.warmup} warm-up steps, ${t.steps} steps, seed ${t.seed}`;
  return { runs, curves, recipe };
}
