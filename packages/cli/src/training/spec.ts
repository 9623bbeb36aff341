// Compiling the spec for `skipinit train`: as every command does (spec-file.ts), except that errors that
// all come from --set values (an unknown name, a value of the wrong kind) are a bad command line: exit 64.
import { compile } from '@skipinit/dsl';
import type { CompileResult } from '@skipinit/dsl';
import { EXIT } from '../exit-codes';
import type { Io } from '../io';
import { printProblems, readSpec } from '../spec-file';
import type { Loaded } from '../spec-file';

export async function compileForTraining(
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
    if (result.errors.some((d) => d.code === 'internal/error')) return { ok: false, code: EXIT.internal };
    const fromSets = result.errors.every((d) => typeof d.file === 'string' && d.file.startsWith('--set '));
    if (result.errors.length > 1) io.stderr.write(`\n${result.errors.length} errors in ${fromSets ? 'the --set values' : file}\n`);
    return { ok: false, code: fromSets ? EXIT.usage : EXIT.spec };
  }
  printProblems(io, result.warnings, result.sources);
  return { ok: true, value: { source: text.value, result } };
}
