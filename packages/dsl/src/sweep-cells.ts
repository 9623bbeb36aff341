// From a sweep cell (the graph package's expandSweep) back to compile overrides: every axis value of the cell
// becomes spec source text, so `compile(source, { overrides: cellOverrides(cell) })` compiles that cell: its
// model AND its training recipe. (cell.train applies the train axes only; a let that a train setting uses,
// `let lr = 0.1` with `sgd lr=lr`, is only seen by compiling the cell.)
import type { SweepCell, SweepValue } from '@skipinit/graph';
import { numberToSource } from './value';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SHAPE = /^\d+(?:x\d+)+$/;

/** A sweep or let value as spec source: numbers and booleans as such, names and shapes bare, other strings quoted. */
export function letValueToSource(v: SweepValue): string {
  if (Array.isArray(v)) return `[${v.map(letValueToSource).join(', ')}]`;
  if (typeof v === 'number') return numberToSource(v);
  if (typeof v === 'boolean') return String(v);
  return NAME.test(v) || SHAPE.test(v) ? v : JSON.stringify(v);
}

/** The compile overrides of one sweep cell: all of its axes, lets and train settings alike. */
export function cellOverrides(cell: Pick<SweepCell, 'values'>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(cell.values)) out[k] = letValueToSource(v);
  return out;
}
