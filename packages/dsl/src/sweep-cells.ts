// From a sweep cell (the graph package's expandSweep) back to compile overrides: a cell's lets become source
// text, so `compile(source, { overrides: cellOverrides(cell) })` builds that cell's model.
import type { LetValue, SweepCell } from '@skipinit/graph';
import { numberToSource } from './value';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SHAPE = /^\d+(?:x\d+)+$/;

/** A let value as spec source: numbers and booleans as such, names and shapes bare, other strings quoted. */
export function letValueToSource(v: LetValue): string {
  if (typeof v === 'number') return numberToSource(v);
  if (typeof v === 'boolean') return String(v);
  return NAME.test(v) || SHAPE.test(v) ? v : JSON.stringify(v);
}

/** The compile overrides of one sweep cell (its let values; its train settings are already in `cell.train`). */
export function cellOverrides(cell: Pick<SweepCell, 'lets'>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(cell.lets)) out[k] = letValueToSource(v);
  return out;
}
