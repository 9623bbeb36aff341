// The text of a `--set name=value` as the compiler reads it. A shell hands over `--set path=/data/cifar`
// without the quotes a spec needs around a string, and `--set data=fashion-mnist` with the dash that
// torchvision spells; both are what the user meant, so both are read that way:
// - a value for a string setting (data path=) or for a let whose value is a string is quoted unless it
//   already is;
// - a dashed word whose underscore spelling is a vocabulary name (fashion-mnist -> fashion_mnist) is read
//   as that name, unless one of its parts is a let of the file (then it is arithmetic, as written).
import type { SpecFile } from './ast';
import { undashed } from './dashed-word';
import { TRAIN_SETTINGS } from './lower-train';
import { TRAIN_STATEMENTS } from './statements';

export interface OverrideTargets {
  /** Names whose value is a string: string train settings and lets initialised with a string. */
  readonly strings: ReadonlySet<string>;
  /** The file's let names. */
  readonly lets: ReadonlySet<string>;
}

export function overrideTargets(ast: SpecFile): OverrideTargets {
  const strings = new Set<string>();
  for (const [name, s] of Object.entries(TRAIN_SETTINGS)) if (TRAIN_STATEMENTS[s.statement].options[s.option].type.t === 'string') strings.add(name);
  const lets = new Set<string>();
  for (const s of ast.statements) {
    if (s.kind !== 'let') continue;
    lets.add(s.name.text);
    if (s.value.kind === 'string') strings.add(s.name.text);
  }
  return { strings, lets };
}

/** The value text to compile for `--set name=raw`. */
export function overrideValueText(name: string, raw: string, targets: OverrideTargets): string {
  const text = raw.trim();
  if (targets.strings.has(name)) return /^"(?:[^"\\]|\\.)*"$/.test(text) ? text : `"${raw.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  if (/^[A-Za-z_]\w*(?:-\w+)+$/.test(text) && !text.split('-').some((part) => targets.lets.has(part))) return undashed(text) ?? raw;
  return raw;
}
