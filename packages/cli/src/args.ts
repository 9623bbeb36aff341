// Command-line parsing on node:util parseArgs, with errors as UsageError (exit 64) that name the flag.
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { closestNames } from '@skipinit/graph';
import { UsageError } from './exit-codes';

export type FlagSpec = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  readonly values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  readonly positionals: string[];
}

/** What a flag's value looks like, for "needs a value" messages. */
const VALUE_EXAMPLES: Readonly<Record<string, string>> = { set: '--set depth=100' };

/** node:util parseArgs's message, said for our users: which flag, what it needs, what is close. */
function usageMessage(e: unknown, options: FlagSpec): string {
  const message = e instanceof Error ? e.message : String(e);
  const flagOf = (m: RegExpMatchArray | null): string | undefined => m?.[1];
  const missing = flagOf(message.match(/^Option '(-[^ ']+)(?: <value>)?' argument (?:missing|is ambiguous)/));
  if (missing !== undefined) {
    const name = missing.replace(/^-+/, '');
    const long = Object.entries(options).find(([k, o]) => k === name || o.short === name)?.[0] ?? name;
    const example = VALUE_EXAMPLES[long];
    const ambiguous = /is ambiguous/.test(message) ? ` (the next argument is a flag; a value starting with '-' is written --${long}=-VALUE)` : '';
    return `--${long} needs a value${example ? `, as in ${example}` : ''}${ambiguous}`;
  }
  const noValue = flagOf(message.match(/^Option '(-[^ ']+)' does not take an argument/));
  if (noValue !== undefined) return `${noValue} takes no value`;
  const unknown = flagOf(message.match(/^Unknown option '([^']+)'/));
  if (unknown !== undefined) {
    const near = closestNames(unknown.replace(/^-+/, '').split('=')[0], Object.keys(options));
    return `unknown option '${unknown}'${near.length > 0 ? `; did you mean '--${near[0]}'?` : ''}`;
  }
  return message.replace(/\. To specify a positional argument.*$/s, '');
}

/** Parses `argv` for `command`; unknown flags, missing flag values and the like throw UsageError. */
export function parseCommandArgs(command: string, argv: string[], options: FlagSpec): Parsed {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: values as Parsed['values'], positionals };
  } catch (e) {
    throw new UsageError(usageMessage(e, options), command);
  }
}

/** `--set name=value` flags -> overrides for compile (the value is spec source text). */
export function parseSets(command: string, sets: readonly (string | boolean)[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of sets ?? []) {
    const text = String(s);
    const eq = text.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set takes name=value (as in --set depth=100), got '${text}'${eq < 0 && /^[A-Za-z_]\w*$/.test(text) ? `; give it a value: --set ${text}=...` : ''}`, command);
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
