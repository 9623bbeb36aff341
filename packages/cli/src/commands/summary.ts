// skipinit summary FILE: the model's table (layer, output shape, parameters, FLOPs) with totals, like Keras's
// model.summary().
import { resolveTrainSpec, summarizeInference, formatSummary } from '@skipinit/graph';
import { describeMemory } from '@skipinit/trainer';
import { oneFile, parseCommandArgs, parseSets } from '../args';
import type { Command } from '../command';
import { EXIT } from '../exit-codes';
import { compileSpec } from '../spec-file';
import { trainingEstimate } from '../training/memory-check';

const help = `usage: skipinit summary FILE [--set name=value]... [--expand] [--json]

Examples:
  skipinit summary examples/mnist-resnet-small.arch
  skipinit summary examples/wrn.arch --set depth=1000 --set norm=none
  skipinit summary examples/deep-mlp.arch --expand
  skipinit summary examples/wrn.arch --json | jq .params

Prints the model as a table: each layer's output shape, parameters and FLOPs per example (a multiply-add
counts 2), then the totals. Repeated blocks are one row ('resblock x 1000') with a row for one block.
The last line estimates the memory training takes (parameters, gradients, optimizer state, activations for
the train section's batch, the data set): 'skipinit train' refuses a run that cannot fit.

Flags:
  --set name=value   replace a let of the file (or a training setting); repeatable
  --expand           also list the layers inside every block and the head
  --json             print the summary as JSON (rows, totals) on stdout
  -h, --help         show this help

Exit codes: 0 ok, 64 usage (a bad flag or --set value), 65 errors in the spec, 66 missing file, 70 internal error.
`;

export const summaryCommand: Command = {
  name: 'summary',
  summary: 'print the model table: output shapes, parameters and FLOPs per layer, with totals',
  help,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('summary', argv, {
      set: { type: 'string', multiple: true },
      expand: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      io.stdout.write(help);
      return EXIT.ok;
    }
    const file = oneFile('summary', positionals);
    const loaded = await compileSpec(io, 'summary', file, parseSets('summary', values.set as string[] | undefined));
    if (!loaded.ok) return loaded.code;
    const { result } = loaded.value;
    const summary = summarizeInference(result.graph!, result.inference!, { expand: !!values.expand });
    const train = resolveTrainSpec(result.train ?? { data: { name: 'blobs' } });
    const memory = trainingEstimate(result.graph!, train, 'webasm');
    if (values.json) {
      io.stdout.write(`${JSON.stringify({ ...summary, memory }, null, 2)}\n`);
      return EXIT.ok;
    }
    const recipe = result.train ? `batch ${train.data.batch}, ${train.data.name}` : `batch ${train.data.batch}, the default: the file has no train section`;
    const line = `Training memory (${recipe}; float32; ${train.optimizer.name}${train.optimizer.name === 'sgd' && train.optimizer.momentum > 0 ? ' with momentum' : ''}): ${describeMemory(memory)}`;
    io.stdout.write(`${formatSummary(summary).replace(/\n?$/, '\n')}${line}\n`);
    return EXIT.ok;
  },
};
