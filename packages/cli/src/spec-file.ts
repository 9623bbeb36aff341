// Reading and compiling a spec file for a command: a missing file is exit 66, spec errors are printed as
// compiler diagnostics on stderr and are exit 65, an internal compiler error is exit 70.
import { compile, printDiagnostics } from '@skipinit/dsl';
import type { CompileResult, Diagnostic } from '@skipinit/dsl';
import { EXIT } from './exit-codes';
import type { Io } from './io';
import { useColor } from './io';

export type Loaded<T> = { ok: true; value: T } | { ok: false; code: number };

/** The text of FILE, or the exit code after saying why it cannot be read. */
export async function readSpec(io: Io, command: string, file: string): Promise<Loaded<string>> {
  try {
    return { ok: true, value: await io.readFile(file) };
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    io.stderr.write(`skipinit ${command}: cannot read '${file}': ${why}\n`);
    return { ok: false, code: EXIT.noInput };
  }
}

/** Prints diagnostics (errors first, then warnings) to stderr, framed and coloured on a terminal. */
export function printProblems(io: Io, ds: readonly Diagnostic[], sources: ReadonlyMap<string, string>): void {
  if (ds.length === 0) return;
  io.stderr.write(`${printDiagnostics(ds, sources, { color: useColor(io, io.stderr) })}\n`);
}

/** Reads and compiles FILE with --set overrides; on errors prints them and gives the exit code. */
export async function compileSpec(
  io: Io,
  command: string,
  file: string,
  overrides: Record<string, string>,
): Promise<Loaded<{ source: string; result: CompileResult }>> {
  const text = await readSpec(io, command, file);
  if (!text.ok) return text;
  const result = compile(text.value, { file, overrides });
  if (result.errors.length > 0) {
    printProblems(io, [...result.errors, ...result.warnings], result.sources);
    const n = result.errors.length;
    if (n > 1) io.stderr.write(`\n${n} errors in ${file}\n`);
    const internal = result.errors.some((d) => d.code === 'internal/error');
    return { ok: false, code: internal ? EXIT.internal : EXIT.spec };
  }
  printProblems(io, result.warnings, result.sources);
  return { ok: true, value: { source: text.value, result } };
}
