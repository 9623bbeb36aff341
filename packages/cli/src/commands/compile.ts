// skipinit compile FILE: check a spec, infer every shape, print a one-line summary or the graph as JSON.
import { expandSweep, formatCount, formatSI, resolveTrainSpec, serializeGraph, serializeStudy } from '@skipinit/graph';
import type { TrainSpec } from '@skipinit/graph';
import { oneFile, parseCommandArgs, parseSets } from '../args';
import type { Command } from '../command';
import { docsUrl } from '../package-info';
import { EXIT } from '../exit-codes';
import { compileSpec, specName } from '../spec-file';

const help = `usage: skipinit compile FILE [--set name=value]... [--json | --study]

Examples:
  skipinit compile examples/deep-mlp.arch
  skipinit compile examples/deep-mlp.arch --set depth=100 --set init=he
  skipinit compile examples/wrn.arch --set depth=100 --json > wrn-100.graph.json
  skipinit fmt my.arch | skipinit compile -          # FILE '-' reads the spec from standard input

Checks a spec file (syntax, names, limits, every layer's shape) and prints what it describes.

Flags:
  --set name=value   replace a let of the file (or a training setting such as lr, batch, steps);
                     the value is spec text: 100, he, 5e-4, [60, 120]; a path needs no quotes
                     (--set path=/data/cifar). Repeatable.
  --json             print the layer graph as a JSON document (skipinit-graph, version 1) on stdout;
                     when the spec has errors, the diagnostics instead (skipinit-diagnostics, version 1:
                     errors and warnings with file, line, column, code, message, suggestions, notes)
  --study            print the whole study (graph, train, sweep, lets) as a JSON document on stdout
  -h, --help         show this help

Errors go to stderr as file:line:col error[code]: message, with the line and a caret.
The spec language: ${docsUrl('dsl.md')}

Exit codes: 0 ok, 64 usage (a bad flag, or errors only in --set values), 65 errors in the spec, 66 missing
file, 70 internal error.
`;

function describeTrain(t: TrainSpec): string {
  const parts: string[] = [t.data.name, `batch ${t.data.batch ?? 128}`];
  const r = resolveTrainSpec(t).optimizer;
  parts.push(
    `${r.name} lr ${r.lr}${r.momentum ? ` momentum ${r.momentum}${r.nesterov ? ' nesterov' : ''}` : ''}${r.beta1 !== undefined ? ` betas ${r.beta1}, ${r.beta2}` : ''}` +
      `${r.weightDecay ? ` weight_decay ${r.weightDecay}` : ''}${r.clipGradNorm !== undefined ? ` clip_grad_norm ${r.clipGradNorm}` : ''}`,
  );
  if (t.schedule) parts.push(`${t.schedule.name} schedule${t.schedule.warmup ? ` (warm-up ${t.schedule.warmup})` : ''}`);
  parts.push(t.steps !== undefined ? `${t.steps} steps` : `${t.epochs ?? 1} epoch${(t.epochs ?? 1) === 1 ? '' : 's'}`);
  if (t.augment?.length) parts.push(`augment ${t.augment.join(', ')}`);
  return parts.join(', ');
}

export const compileCommand: Command = {
  name: 'compile',
  summary: 'check a spec file and print its layer graph (--json) or a summary line',
  help,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('compile', argv, {
      set: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      study: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      io.stdout.write(help);
      return EXIT.ok;
    }
    const file = oneFile('compile', positionals);
    const sets = parseSets('compile', values.set as string[] | undefined);
    const loaded = await compileSpec(io, 'compile', file, sets, { json: !!values.json || !!values.study });
    if (!loaded.ok) return loaded.code;
    const { result } = loaded.value;
    const graph = result.graph!;
    const inf = result.inference!;
    if (values.study) {
      io.stdout.write(`${serializeStudy({ graph, train: result.train, sweep: result.sweep, lets: result.lets }, { indent: 2 })}\n`);
      return EXIT.ok;
    }
    if (values.json) {
      io.stdout.write(`${serializeGraph(graph, { indent: 2 })}\n`);
      return EXIT.ok;
    }
    const lines = [
      `${specName(file)}: ok`,
      `  model ${graph.name}: ${inf.input?.join('x')} -> ${inf.output?.join('x')}, ${formatCount(inf.blocks)} residual block${inf.blocks === 1 ? '' : 's'}, ${formatCount(inf.params)} parameters, ${formatSI(inf.flops, 'FLOPs')} per example`,
    ];
    if (result.train) lines.push(`  train: ${describeTrain(result.train)}`);
    if (result.sweep) {
      const cells = expandSweep(result.sweep, result.train);
      lines.push(`  sweep: ${cells.length} run${cells.length === 1 ? '' : 's'} over ${result.sweep.axes.map((a) => `${a.name} (${a.values.length})`).join(' x ')}`);
    }
    io.stdout.write(`${lines.join('\n')}\n`);
    return EXIT.ok;
  },
};
