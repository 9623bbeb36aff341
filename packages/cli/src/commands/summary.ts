// skipinit summary FILE: the model's table (layer, output shape, parameters, FLOPs) with totals, like Keras's
// model.summary().
import { summarizeInference, formatSummary } from '@skipinit/graph';
import { oneFile, parseCommandArgs, parseSets } from '../args';
import type { Command } from '../command';
import { EXIT } from '../exit-codes';
import { compileSpec } from '../spec-file';

const help = `usage: skipinit summary FILE [--set name=value]... [--expand] [--json]

Examples:
  skipinit summary examples/mnist-resnet-small.arch
  skipinit summary examples/wrn.arch --set depth=1000 --set norm=none
  skipinit summary examples/deep-mlp.arch --expand
  skipinit summary examples/wrn.arch --json | jq .params

Prints the model as a table: each layer's output shape, parameters and FLOPs per example (a multiply-add
counts 2), then the totals. Repeated blocks are one row ('resblock x 1000') with a row for one block.

Flags:
  --set name=value   replace a let of the file (or a training setting); repeatable
  --expand           also list the layers inside every block and the head
  --json             print the summary as JSON (rows, totals) on stdout
  -h, --help         show this help

Exit codes: 0 ok, 64 usage, 65 errors in the spec, 66 missing file, 70 internal error.
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
    io.stdout.write(values.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary).replace(/\n?$/, '\n'));
    return EXIT.ok;
  },
};
