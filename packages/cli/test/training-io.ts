// An Io for running the training commands in-process: real files in a temporary working directory (runs,
// checkpoints and metrics are real files), captured output.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Io } from '../src/io';

export interface TrainingIo extends Io {
  readonly out: () => string;
  readonly err: () => string;
}

export function trainingIo(options: { cwd?: string; tty?: boolean } = {}): TrainingIo {
  const cwd = options.cwd ?? mkdtempSync(join(tmpdir(), 'skipinit-cli-'));
  let out = '';
  let err = '';
  return {
    stdout: { write: (t) => void (out += t), isTTY: options.tty ?? false },
    stderr: { write: (t) => void (err += t), isTTY: false },
    env: {},
    cwd,
    async readFile(path) {
      const p = resolve(cwd, path);
      if (statSync(p).isDirectory()) throw Object.assign(new Error(`${path} is a directory`), { code: 'EISDIR' });
      return readFileSync(p, 'utf8');
    },
    async writeFile(path, text) {
      writeFileSync(resolve(cwd, path), text);
    },
    out: () => out,
    err: () => err,
  };
}
