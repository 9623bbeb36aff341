// skipinit export RUN_DIR --format onnx: a run's trained model as an ONNX file other tools can run.
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { OnnxSummary } from '@skipinit/export';
import { Engine, ReferenceBackend } from '@skipinit/tensor';
import { loadRunModel, writeFileAtomic } from '@skipinit/trainer';
import type { ModelIo, RunModel } from '@skipinit/trainer';
import { parseCommandArgs } from '../args';
import type { Command } from '../command';
import { EXIT, UsageError } from '../exit-codes';
import type { Io } from '../io';
import { expectedFailure } from '../training/failure';
import { shown } from '../training/run-command';
import { VERSION } from '../main';
import { docsUrl } from '../package-info';

const help = `usage: skipinit export RUN_DIR [--format onnx] [--out FILE] [--checkpoint best|last|FILE] [--json]

Examples:
  skipinit export runs/mnist_resnet_small/1                     # writes runs/mnist_resnet_small/1/model.onnx
  skipinit export runs/mnist_resnet_small/1 --out mnist.onnx --checkpoint last
  python -c "import onnx2torch, onnx; m = onnx2torch.convert(onnx.load('mnist.onnx'))"

Writes a run's model (best.safetensors by default, last.safetensors when there is no best) as an ONNX
model, opset 17, in evaluation mode: input 'input' [batch, C, H, W] of raw values as the data set loads
them (pixels in [0, 1]); the run's input normalisation is its first nodes; outputs 'logits' and
'probabilities' [batch, classes]. Convolutions carry explicit pads (skipinit's 'same' is TensorFlow's,
the odd pixel at the bottom/right); batch norm is BatchNormalization; SkipInit's and Fixup's scalars are
Mul and Add. The class names, normalisation, layout and value range are in its metadata_props.
${docsUrl('export.md')} shows how PyTorch (onnx2torch) and a web page (onnxruntime-web) load it.

Flags:
  --format FORMAT     onnx (the only format)
  --out FILE          where to write (default RUN_DIR/model.onnx); written atomically
  --checkpoint WHICH  best (default), last, or the path of a checkpoint file of this run
  --json              print what was written as one JSON object on stdout
  -h, --help          show this help

Exit codes: 0 ok, 64 usage, 65 corrupt checkpoint or a layer ONNX cannot express, 66 missing run
directory or checkpoint, 73 the file cannot be written, 70 internal error.
`;

/** metadata_props: what a user of the file needs to feed it (JSON values). */
function metadata(run: RunModel): Record<string, string> {
  const io: ModelIo = run.io;
  return {
    'skipinit.model': run.config.name,
    'skipinit.config_hash': run.config.configHash,
    'skipinit.step': String(run.step),
    'skipinit.layout': io.layout,
    'skipinit.value_range': JSON.stringify(io.value_range),
    'skipinit.normalization': JSON.stringify(io.normalization),
    'skipinit.class_names': JSON.stringify(io.class_names),
    'skipinit.padding_rule': io.padding.rule,
  };
}

export async function runExport(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('export', argv, {
    format: { type: 'string' },
    out: { type: 'string' },
    checkpoint: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(help);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'missing RUN_DIR (a run directory, such as runs/mnist_resnet_small/1)' : `expected one RUN_DIR, got ${positionals.length}`, 'export');
  const format = (values.format as string | undefined) ?? 'onnx';
  if (format !== 'onnx') throw new UsageError(`--format must be onnx (the only format), got '${format}'`, 'export');
  const dir = resolve(io.cwd, positionals[0]);
  const out = values.out !== undefined ? resolve(io.cwd, values.out as string) : join(dir, 'model.onnx');
  const which = values.checkpoint as string | undefined;
  const checkpoint = which === undefined || which === 'best' || which === 'last' ? which : resolve(io.cwd, which);
  // The reference backend holds the weights exactly (float64 holds every float32); nothing runs on it.
  const engine = new Engine(new ReferenceBackend());
  let run: RunModel;
  try {
    run = loadRunModel({ runDir: dir, engine, ...(checkpoint !== undefined ? { checkpoint } : {}) });
  } catch (error) {
    const known = expectedFailure(error);
    if (known === null) throw error;
    io.stderr.write(`skipinit export: ${known.message}\n`);
    return known.code;
  }
  // the ONNX writer (protobuf) loads here, not with every command
  const { describeOnnx, exportOnnx, OnnxExportError } = await import('@skipinit/export');
  let bytes: Uint8Array;
  try {
    const norm = run.io.normalization;
    bytes = exportOnnx(run.model, { normalization: norm, metadata: metadata(run), producerVersion: VERSION }).bytes;
  } catch (error) {
    if (!(error instanceof OnnxExportError)) throw error;
    io.stderr.write(`skipinit export: ${shown(io, dir)}: ${error.message}\n`);
    return EXIT.spec;
  } finally {
    run.model.dispose();
  }
  try {
    writeFileAtomic(out, bytes);
  } catch (error) {
    io.stderr.write(`skipinit export: cannot write ${shown(io, out)}: ${(error as Error).message}\n`);
    return EXIT.cantCreate;
  }
  report(io, { out, summary: describeOnnx(bytes), run, json: values.json === true });
  return EXIT.ok;
}

function report(io: Io, r: { out: string; summary: OnnxSummary; run: RunModel; json: boolean }): void {
  const s = r.summary;
  const size = statSync(r.out).size;
  if (r.json) {
    const record = { type: 'export', format: 'onnx', file: r.out, bytes: size, opset: s.opset, ir_version: s.irVersion, checkpoint: r.run.checkpoint, step: r.run.step, inputs: s.inputs, outputs: s.outputs, nodes: s.nodes, ops: s.ops, parameters: s.values, io: r.run.io };
    io.stdout.write(`${JSON.stringify(record)}\n`);
    return;
  }
  const dims = (shape: readonly (number | string)[]): string => `[${shape.join(', ')}]`;
  const norm = r.run.io.normalization;
  const range = r.run.io.value_range;
  io.stdout.write(`wrote ${shown(io, r.out)} (ONNX opset ${s.opset}, ${(size / 1e6).toFixed(2)} MB) from ${shown(io, r.run.checkpoint)} (step ${r.run.step})\n`);
  io.stdout.write(`  input  ${s.inputs[0].name} ${dims(s.inputs[0].shape)} float32${range ? `, raw values in [${range.join(', ')}]` : ''}${norm ? `; normalised inside (mean [${norm.mean.map((v) => v.toPrecision(4)).join(', ')}], std [${norm.std.map((v) => v.toPrecision(4)).join(', ')}])` : ''}\n`);
  io.stdout.write(`  output ${s.outputs.map((o) => `${o.name} ${dims(o.shape)}`).join(', ')}; classes ${r.run.io.class_names.join(' ')}\n`);
  io.stdout.write(`  ${s.nodes} nodes: ${Object.entries(s.ops).map(([op, n]) => `${op} ${n}`).join(', ')}\n`);
}

export const exportCommand: Command = {
  name: 'export',
  summary: "write a run's model as ONNX (opset 17, normalisation inside) for onnxruntime, PyTorch, the web",
  help,
  run: (argv, io) => runExport(argv, io),
};
