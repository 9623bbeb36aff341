// The stated limits of a network and a study. The DSL enforces them with a clear diagnostic (never an
// out-of-memory), validation re-checks them, and the docs quote these constants.

/** Most residual blocks in one network, all stages and repetitions together (d <= 10^6). */
export const MAX_BLOCKS = 1_000_000;

/** Most repetitions of one statement (`x N`). */
export const MAX_COUNT = MAX_BLOCKS;

/**
 * Most trainable parameters a graph may describe (10^10). This bounds the arithmetic of a spec, not what
 * fits in memory: `resblock x 100000` at width 128 (3.3e9 parameters) compiles and summarises, and
 * building it into a model is refused by layers with the bytes it would need.
 */
export const MAX_PARAMS = 10_000_000_000;

/** Widest layer: conv channels, dense units, input channels/features, classes (2^16). */
export const MAX_WIDTH = 65_536;

/** Largest input height or width in pixels. */
export const MAX_SPATIAL = 4_096;

/** Largest number of elements in one example's input or activation (2^26). */
export const MAX_ELEMENTS = 67_108_864;

/** Largest conv kernel or pool window side. */
export const MAX_KERNEL = 64;

/** Largest conv/pool stride. */
export const MAX_STRIDE = 64;

/**
 * Most nodes written out in one graph, branch layers included (repetition does not count:
 * `resblock x 1000` is one node). Equal to MAX_BLOCKS so that blocks written one by one still fit.
 */
export const MAX_NODES = 1_000_000;

/** Deepest nesting of composite nodes (stage in repeat in ...). */
export const MAX_NESTING = 16;

/** Most cells in one sweep grid. */
export const MAX_SWEEP_CELLS = 10_000;

/** Largest batch size. */
export const MAX_BATCH = 65_536;

/** Longest run, in steps (and in epochs). */
export const MAX_STEPS = 1_000_000_000;

/** All the limits in one object, for docs and `--help`. */
export const LIMITS = {
  blocks: MAX_BLOCKS,
  count: MAX_COUNT,
  params: MAX_PARAMS,
  width: MAX_WIDTH,
  spatial: MAX_SPATIAL,
  elements: MAX_ELEMENTS,
  kernel: MAX_KERNEL,
  stride: MAX_STRIDE,
  nodes: MAX_NODES,
  nesting: MAX_NESTING,
  sweepCells: MAX_SWEEP_CELLS,
  batch: MAX_BATCH,
  steps: MAX_STEPS,
} as const;
