// Command-line parsing on node:util parseArgs, with errors as UsageError (exit 64) that name the flag.
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { UsageError } from './exit-codes';

export type FlagSpec = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  readonly values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  readonly positionals: string[];
}

/** Parses `argv` for `command`; unknown flags, missing flag values and the like throw UsageError. */
export function parseCommandArgs(command: string, argv: string[], options: FlagSpec): Parsed {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: values as Parsed['values'], positionals };
  } catch (e) {
    const message = e instanceof Error ? e.message.replace(/\. To specify a positional argument.*$/s, '') : String(e);
    throw new UsageError(message.replace(/^Unknown option/, 'unknown option'), command);
  }
}

/** `--set name=value` flags -> overrides for compile (the value is spec source text). */
export function parseSets(command: string, sets: readonly (string | boolean)[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of sets ?? []) {
    const text = String(s);
    const eq = text.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set takes name=value (as in --set depth=100), got '${text}'`, command);
    const name = text.slice(0, eq).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UsageError(`--set: '${name}' is not a name (letters, digits and _)`, command);
    if (name in out) throw new UsageError(`--set ${name} is given twice`, command);
    out[name] = text.slice(eq + 1);
  }
  return out;
}

/** Exactly one FILE positional. */
export function oneFile(command: string, positionals: readonly string[]): string {
  if (positionals.length === 0) throw new UsageError('missing FILE (a spec file, such as examples/deep-mlp.arch)', command);
  if (positionals.length > 1) throw new UsageError(`expected one FILE, got ${positionals.length}: ${positionals.join(' ')}`, command);
  return positionals[0];
}
