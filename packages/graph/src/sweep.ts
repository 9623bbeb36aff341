// Grid sweeps: one run per combination of axis values, enumerated like itertools.product (the first
// axis varies slowest, the last fastest, values in the order given), so cell i is the same run
// every time the same spec is expanded.

import { GraphError, IssueList } from './issues';
import { MAX_SWEEP_CELLS } from './limits';
import { applyTrainSetting, resolveTrainSpec, validateTrainSpec } from './train-spec';
import type { GraphIssue } from './types';
import type { LetValue, SweepCell, SweepSpec, SweepValue, TrainSpec } from './study-types';
import { TRAIN_SETTING_NAMES, isTrainSettingName } from './vocabulary';
import { closestNames } from './closest-names';

/** Number of cells of a grid (the product of the axes' lengths; 1 for no axes). */
export function sweepSize(sweep: SweepSpec): number {
  return sweep.axes.reduce((n, a) => n * a.values.length, 1);
}

/** A value as it appears in a cell key: 0.01, skipinit, true, [crop,flip]. */
export function formatSweepValue(v: SweepValue): string {
  return Array.isArray(v) ? `[${v.map((x) => String(x)).join(',')}]` : String(v);
}

const isScalar = (v: unknown): v is LetValue =>
  typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

/**
 * Check a sweep against the study's train spec (null when it has none): axes named once, each with
 * values, train axes naming a train setting and every value applying to the recipe, at most
 * MAX_SWEEP_CELLS cells. Never throws.
 */
export function validateSweep(sweep: SweepSpec, train: TrainSpec | null): GraphIssue[] {
  const list = new IssueList();
  if (!Array.isArray(sweep?.axes) || sweep.axes.length === 0) {
    list.add('sweep/empty', 'a sweep needs at least one axis', ['sweep', 'axes'], undefined);
    return list.issues;
  }
  const seen = new Set<string>();
  sweep.axes.forEach((axis, i) => {
    const path = ['sweep', 'axes', i];
    if (typeof axis !== 'object' || axis === null || typeof axis.name !== 'string' || (axis.target !== 'let' && axis.target !== 'train')) {
      list.add('sweep/bad-value', "sweep: an axis must be { name, target: 'let' | 'train', values }", path, undefined);
      return;
    }
    const span = axis.span;
    if (seen.has(axis.name)) list.add('sweep/duplicate-axis', `sweep: '${axis.name}' is swept twice`, path, span);
    seen.add(axis.name);
    if (!Array.isArray(axis.values) || axis.values.length === 0) {
      list.add('sweep/empty', `sweep: '${axis.name}' has no values`, path, span);
      return;
    }
    axis.values.forEach((v, j) => {
      if (!isScalar(v) && !(Array.isArray(v) && v.every(isScalar)))
        list.add('sweep/bad-value', `sweep: '${axis.name}' value ${j + 1} must be a number, name, boolean or list of them`, [...path, 'values', j], span);
      else if (axis.target === 'let' && Array.isArray(v))
        list.add('sweep/bad-value', `sweep: let '${axis.name}' takes a single value, not a list`, [...path, 'values', j], span);
    });
    if (axis.target !== 'train') return;
    if (!isTrainSettingName(axis.name)) {
      const c = closestNames(axis.name, TRAIN_SETTING_NAMES);
      list.add('sweep/unknown-setting', `sweep: '${axis.name}' is neither a let nor a train setting${c.length ? `; did you mean '${c[0]}'?` : ''}`, path, span);
      return;
    }
    if (train === null) {
      list.add('sweep/no-train', `sweep: '${axis.name}' is a train setting, but the study has no train block`, path, span);
      return;
    }
    axis.values.forEach((v, j) => {
      const r = applyTrainSetting(train, axis.name as (typeof TRAIN_SETTING_NAMES)[number], v);
      const problems = r.ok ? validateTrainSpec(r.spec).filter((p) => p.severity === 'error') : [];
      const message = !r.ok ? r.message : problems.map((p) => p.message).join('; ');
      if (!r.ok || problems.length > 0)
        list.add('sweep/bad-value', `sweep: ${axis.name}=${formatSweepValue(v)}: ${message}`, [...path, 'values', j], span);
    });
  });
  const size = sweepSize(sweep);
  if (size > MAX_SWEEP_CELLS)
    list.add('sweep/too-many-cells', `sweep: the grid has ${size} cells; the limit is ${MAX_SWEEP_CELLS}`, ['sweep'], undefined);
  return list.issues;
}

/**
 * Every cell of the grid, in enumeration order, with its `let` overrides and its resolved train
 * recipe (the base recipe with the cell's train settings applied). Throws GraphError (with the
 * issues) on an invalid sweep.
 */
export function expandSweep(sweep: SweepSpec, train: TrainSpec | null): SweepCell[] {
  const issues = validateSweep(sweep, train).filter((i) => i.severity === 'error');
  if (issues.length > 0) throw new GraphError(`invalid sweep: ${issues.map((i) => i.message).join('; ')}`, issues);
  const size = sweepSize(sweep);
  const cells: SweepCell[] = [];
  const idx = new Array<number>(sweep.axes.length).fill(0);
  for (let index = 0; index < size; index++) {
    const values: Record<string, SweepValue> = {};
    const lets: Record<string, LetValue> = {};
    let spec = train;
    const key: string[] = [];
    sweep.axes.forEach((axis, a) => {
      const v = axis.values[idx[a]];
      values[axis.name] = Array.isArray(v) ? [...v] : v;
      key.push(`${axis.name}=${formatSweepValue(v)}`);
      if (axis.target === 'let') {
        if (Array.isArray(v)) throw new GraphError(`sweep: let '${axis.name}' cannot take a list`);
        lets[axis.name] = v;
      } else {
        const r = applyTrainSetting(spec!, axis.name as (typeof TRAIN_SETTING_NAMES)[number], v);
        if (!r.ok) throw new GraphError(r.message);
        spec = r.spec;
      }
    });
    cells.push({ index, key: key.join(','), values, lets, train: spec === null ? null : resolveTrainSpec(spec) });
    // Advance the odometer: the last axis fastest.
    for (let a = sweep.axes.length - 1; a >= 0; a--) {
      if (++idx[a] < sweep.axes[a].values.length) break;
      idx[a] = 0;
    }
  }
  return cells;
}
