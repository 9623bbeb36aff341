import { check } from './errors';

/** Options common to the synthetic sets. */
export interface SyntheticOptions {
  /** The example shape: a feature count D (flat examples [D]) or an image shape [C, H, W] (or any shape). */
  shape: number | readonly number[];
  classes: number;
  /** Number of training examples. */
  train: number;
  /** Number of test examples (drawn independently of the training examples, same distribution). */
  test: number;
  seed: number;
}

/** Checks the common options; returns the example shape as an array. */
export function checkSynthetic(options: SyntheticOptions, where: string): number[] {
  const shape = typeof options.shape === 'number' ? [options.shape] : [...options.shape];
  check(
    shape.length >= 1 && shape.every((d) => Number.isInteger(d) && d >= 1),
    where,
    `shape must be positive integers, got [${shape.join(', ')}]`,
  );
  check(Number.isInteger(options.classes) && options.classes >= 2, where, `classes must be an integer >= 2, got ${options.classes}`);
  for (const k of ['train', 'test'] as const) {
    check(Number.isInteger(options[k]) && options[k] >= 1, where, `${k} must be an integer >= 1, got ${options[k]}`);
  }
  check(Number.isSafeInteger(options.seed), where, `seed must be a safe integer, got ${options.seed}`);
  return shape;
}
