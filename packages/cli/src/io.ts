// Everything the CLI touches outside itself: output streams, files, environment. Commands get an Io, so
// tests run them in-process with captured output and no real terminal.
import { readFile, stat } from 'node:fs/promises';
import { writeFileAtomic } from '@skipinit/trainer';

export interface Output {
  write(text: string): void;
  /** A terminal (colours and progress are for terminals only). */
  readonly isTTY: boolean;
}

export interface Io {
  readonly stdout: Output;
  readonly stderr: Output;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** The file's text; throws a NodeJS.ErrnoException-like error (code ENOENT, EISDIR, EACCES...). */
  readFile(path: string): Promise<string>;
  /** Writes atomically and durably (the trainer's writeFileAtomic: a temporary file, fsync, rename, fsync the directory). */
  writeFile(path: string, text: string): Promise<void>;
  /** All of standard input as text (FILE '-'); absent where there is none. */
  readStdin?(): Promise<string>;
}

export function nodeIo(): Io {
  const out = (s: NodeJS.WriteStream): Output => ({ write: (t) => void s.write(t), isTTY: !!s.isTTY });
  return {
    stdout: out(process.stdout),
    stderr: out(process.stderr),
    env: process.env,
    cwd: process.cwd(),
    async readFile(path) {
      const st = await stat(path);
      if (st.isDirectory()) throw Object.assign(new Error(`${path} is a directory`), { code: 'EISDIR' });
      return readFile(path, 'utf8');
    },
    async writeFile(path, text) {
      writeFileAtomic(path, new TextEncoder().encode(text));
    },
    async readStdin() {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}

/** Colours on a terminal unless NO_COLOR is set (https://no-color.org). */
export function useColor(io: Io, out: Output): boolean {
  return out.isTTY && !io.env.NO_COLOR && io.env.TERM !== 'dumb';
}
