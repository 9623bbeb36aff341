// Reading and compiling a spec file for a command: a missing file is exit 66; spec errors are printed as
// compiler diagnostics on stderr (and, with `json`, as a JSON document on stdout) and are exit 65, or 64
// when every error is in a --set value (a bad command line, for every command alike); an internal compiler
// error is exit 70. FILE '-' reads the spec from standard input.
import { compile, diagnosticRecords, printDiagnostics } from '@skipinit/dsl';
import type { CompileResult, Diagnostic } from '@skipinit/dsl';
import { EXIT } from './exit-codes';
import type { Io } from './io';
import { useColor } from './io';

export type Loaded<T> = { ok: true; value: T } | { ok: false; code: number };

/** The name diagnostics give a spec read from standard input. */
export const STDIN_NAME = '<stdin>';

/** How a FILE argument is named in diagnostics ('-' is standard input). */
export const specName = (file: string): string => (file === '-' ? STDIN_NAME : file);

/** The text of FILE ('-': standard input), or the exit code after saying why it cannot be read. */
export async function readSpec(io: Io, command: string, file: string): Promise<Loaded<string>> {
  try {
    if (file === '-') {
      if (!io.readStdin) throw Object.assign(new Error('standard input is not available here'), { code: 'ENOSTDIN' });
      return { ok: true, value: await io.readStdin() };
    }
    return { ok: true, value: await io.readFile(file) };
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    io.stderr.write(`skipinit ${command}: cannot read '${specName(file)}': ${why}\n`);
    return { ok: false, code: EXIT.noInput };
  }
}

/** Prints diagnostics (errors first, then warnings) to stderr, framed and coloured on a terminal. */
export function printProblems(io: Io, ds: readonly Diagnostic[], sources: ReadonlyMap<string, string>): void {
  if (ds.length === 0) return;
  io.stderr.write(`${printDiagnostics(ds, sources, { color: useColor(io, io.stderr) })}\n`);
}

/** The exit code for a compile result with errors: 70 internal, 64 when all come from --set values, else 65. */
export function specErrorCode(errors: readonly Diagnostic[]): number {
  if (errors.some((d) => d.code === 'internal/error')) return EXIT.internal;
  return errors.every((d) => d.file.startsWith('--set ')) ? EXIT.usage : EXIT.spec;
}

/** The JSON document `--json` prints on stdout when the spec has errors. */
export function diagnosticsDocument(result: CompileResult): string {
  const doc = {
    format: 'skipinit-diagnostics',
    version: 1,
    ok: false,
    errors: diagnosticRecords(result.errors, result.sources),
    warnings: diagnosticRecords(result.warnings, result.sources),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * Reads and compiles FILE with --set overrides; on errors prints them (stderr; with `json` also the
 * diagnostics document on stdout) and gives the exit code.
 */
export async function compileSpec(
  io: Io,
  command: string,
  file: string,
  overrides: Record<string, string>,
  options: { json?: boolean } = {},
): Promise<Loaded<{ source: string; result: CompileResult }>> {
  const text = await readSpec(io, command, file);
  if (!text.ok) return text;
  const name = specName(file);
  const result = compile(text.value, { file: name, overrides });
  if (result.errors.length > 0) {
    printProblems(io, [...result.errors, ...result.warnings], result.sources);
    const code = specErrorCode(result.errors);
    const n = result.errors.length;
    if (n > 1) io.stderr.write(`\n${n} errors in ${code === EXIT.usage ? 'the --set values' : name}\n`);
    if (options.json) io.stdout.write(diagnosticsDocument(result));
    return { ok: false, code };
  }
  printProblems(io, result.warnings, result.sources);
  return { ok: true, value: { source: text.value, result } };
}
