// A sweep as a list of independent runs, each keyed by the hash of its resolved configuration (the
// trainer's configHash: the graph without source spans, the resolved recipe, and the loop settings that
// change its metrics), so the same cell is the same run directory every time: `cells/<first 16 hex digits>`.
// A repeated sweep finds its finished cells there and skips them; a cell whose recipe changed gets a new
// directory. The manifest (sweep.json) lists the cells of the latest invocation, with what the result
// tables need to label them.
import type { Graph, ResolvedTrainSpec, SweepValue } from '@skipinit/graph';
import { inferGraph } from '@skipinit/graph';
import type { LoopSettings } from '@skipinit/trainer';
import { configHash, defaultMaxLoss } from '@skipinit/trainer';
import { AnalysisError } from '../errors';

export const SWEEP_FORMAT = 'skipinit.sweep';
export const SWEEP_FILES = { manifest: 'sweep.json', cells: 'cells', results: 'results' } as const;

/** One cell as the front end (the CLI) resolved it: the compiled graph and the resolved recipe. */
export interface SweepCellInput {
  readonly index: number;
  /** Readable key, e.g. "init=skipinit,lr=0.01" (graph's expandSweep). */
  readonly key: string;
  /** The cell's value on each axis. */
  readonly values: Readonly<Record<string, SweepValue>>;
  readonly graph: Graph;
  readonly train: ResolvedTrainSpec;
}

/** Loop settings of every cell (part of the key where they change the metrics). */
export interface SweepLoop {
  /** Log a step record every this many steps (default 1). */
  readonly logEvery: number;
  /** Examples per forward pass when evaluating (default 500). */
  readonly evalBatchSize: number;
  /** Checkpoint every this many steps, or after every evaluation (default 'eval'). Not part of the key. */
  readonly checkpointEvery: number | 'eval';
}

export const DEFAULT_SWEEP_LOOP: SweepLoop = { logEvery: 1, evalBatchSize: 500, checkpointEvery: 'eval' };

/** A planned cell: the input, its key and directory, and the labels the tables use. */
export interface SweepCell {
  readonly index: number;
  readonly key: string;
  readonly values: Readonly<Record<string, SweepValue>>;
  /** 'sha256:<hex>' of the resolved configuration (equals the run's config.json configHash). */
  readonly hash: string;
  /** The run directory, relative to the sweep directory: cells/<16 hex digits>. */
  readonly dir: string;
  /** d: residual blocks of the cell's network. */
  readonly depth: number;
  /** Classes the network outputs (chance accuracy is 1 / classes). */
  readonly classes: number;
  readonly lr: number;
  readonly batch: number;
  readonly seed: number;
  readonly graph: Graph;
  readonly train: ResolvedTrainSpec;
  readonly loop: LoopSettings;
}

export interface SweepAxisInfo {
  readonly name: string;
  readonly values: readonly SweepValue[];
}

/** sweep.json: what `plot` and the result tables read back. Cells without their graph and recipe (config.json holds those). */
export interface SweepManifest {
  readonly format: typeof SWEEP_FORMAT;
  readonly version: 1;
  readonly name: string;
  /** Where the sweep came from (spec file, --set overrides), as the caller gives it. */
  readonly source: Record<string, unknown> | null;
  readonly axes: readonly SweepAxisInfo[];
  readonly loop: SweepLoop;
  readonly cells: readonly Omit<SweepCell, 'graph' | 'train' | 'loop'>[];
}

/** Keys, directories and labels of every cell; throws AnalysisError on a graph with errors or two cells with one configuration. */
export function planSweep(cells: readonly SweepCellInput[], loop: SweepLoop = DEFAULT_SWEEP_LOOP): SweepCell[] {
  const seen = new Map<string, string>();
  return cells.map((c) => {
    const inference = inferGraph(c.graph);
    if (!inference.ok || inference.output === null) {
      const e = inference.issues.find((i) => i.severity === 'error');
      throw new AnalysisError(`sweep cell ${c.index} (${c.key}): the graph has errors${e ? `: ${e.where}: ${e.message}` : ''}`);
    }
    const settings: LoopSettings = {
      logEvery: loop.logEvery,
      evalBatchSize: loop.evalBatchSize,
      checkpointEvery: loop.checkpointEvery,
      maxLoss: defaultMaxLoss(inference.output[0]),
    };
    const hash = configHash(c.graph, c.train, settings);
    const twin = seen.get(hash);
    if (twin !== undefined)
      throw new AnalysisError(`sweep cells '${twin}' and '${c.key}' resolve to the same configuration (hash ${hash.slice(0, 19)}...): an axis changes nothing`);
    seen.set(hash, c.key);
    return {
      index: c.index,
      key: c.key,
      values: c.values,
      hash,
      dir: `${SWEEP_FILES.cells}/${hash.replace(/^sha256:/, '').slice(0, 16)}`,
      depth: inference.blocks,
      classes: inference.output[0],
      lr: c.train.optimizer.lr,
      batch: c.train.data.batch,
      seed: c.train.seed,
      graph: c.graph,
      train: c.train,
      loop: settings,
    };
  });
}

/** The manifest of a planned sweep. */
export function sweepManifest(name: string, axes: readonly SweepAxisInfo[], cells: readonly SweepCell[], loop: SweepLoop, source: Record<string, unknown> | null = null): SweepManifest {
  return {
    format: SWEEP_FORMAT,
    version: 1,
    name,
    source,
    axes: axes.map((a) => ({ name: a.name, values: [...a.values] })),
    loop,
    cells: cells.map(({ graph: _g, train: _t, loop: _l, ...rest }) => rest),
  };
}
