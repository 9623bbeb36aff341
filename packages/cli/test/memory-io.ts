// An in-memory Io for running the CLI in-process: files from a map (falling back to the repository for
// examples/), output captured.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Io } from '../src/index';

export const ROOT = join(import.meta.dirname, '..', '..', '..');

export interface Captured {
  io: Io;
  out: { stdout: string; stderr: string };
  files: Map<string, string>;
}

export function memoryIo(files: Record<string, string> = {}, options: { tty?: boolean; env?: Record<string, string> } = {}): Captured {
  const out = { stdout: '', stderr: '' };
  const map = new Map(Object.entries(files));
  const io: Io = {
    stdout: { write: (t) => void (out.stdout += t), isTTY: options.tty ?? false },
    stderr: { write: (t) => void (out.stderr += t), isTTY: options.tty ?? false },
    env: options.env ?? {},
    cwd: ROOT,
    async readFile(path) {
      if (map.has(path)) return map.get(path)!;
      const real = join(ROOT, path);
      let isDir = false;
      try {
        isDir = statSync(real).isDirectory();
      } catch {
        throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      }
      if (isDir) throw Object.assign(new Error(`EISDIR: ${path}`), { code: 'EISDIR' });
      return readFileSync(real, 'utf8');
    },
    async writeFile(path, text) {
      map.set(path, text);
    },
  };
  return { io, out, files: map };
}
