import { classCounts, subset, type Dataset } from './dataset';
import { check } from './errors';
import { Rng, Stream } from './rng';

export interface SplitOptions {
  /** The validation size: a count of examples (an integer >= 1) or a fraction of the dataset in (0, 1). */
  size: number;
  seed: number;
  /**
   * Stratified (default true): each class keeps its proportion in both parts, to within one example (largest
   * remainder apportionment, so the validation size is exactly `size`). False: a uniform random subset.
   */
  stratify?: boolean;
}

/**
 * Splits `ds` into train and validation parts, seeded. Both parts keep the dataset's order of examples (the
 * randomness decides only which examples go where). The same (dataset, size, seed, stratify) always gives the
 * same split.
 */
export function trainValidationSplit(ds: Dataset, options: SplitOptions): { train: Dataset; validation: Dataset } {
  const where = `trainValidationSplit(${ds.name})`;
  const { size, seed } = options;
  check(Number.isFinite(size) && size > 0, where, `size must be a count >= 1 or a fraction in (0, 1), got ${size}`);
  const count = size < 1 ? Math.round(size * ds.length) : size;
  check(Number.isInteger(count), where, `a validation count must be an integer, got ${size}`);
  check(
    count >= 1 && count < ds.length,
    where,
    `validation size ${count} must be in [1, ${ds.length - 1}] for ${ds.length} examples`,
  );
  const rng = new Rng(seed, Stream.split);
  const inValidation = new Uint8Array(ds.length);
  if (options.stratify ?? true) {
    const counts = classCounts(ds);
    const quotas = apportion(counts, count, ds.length);
    const byClass: number[][] = Array.from({ length: ds.numClasses }, () => []);
    for (let i = 0; i < ds.length; i++) byClass[ds.y[i]].push(i);
    byClass.forEach((members, c) => {
      rng.shuffle(members);
      for (let k = 0; k < quotas[c]; k++) inValidation[members[k]] = 1;
    });
  } else {
    const perm = rng.permutation(ds.length);
    for (let k = 0; k < count; k++) inValidation[perm[k]] = 1;
  }
  const train: number[] = [];
  const validation: number[] = [];
  for (let i = 0; i < ds.length; i++) (inValidation[i] ? validation : train).push(i);
  const base = ds.name.replace(/\/[^/]*$/, '');
  return {
    train: subset(ds, train, `${base}/train`),
    validation: subset(ds, validation, `${base}/validation`),
  };
}

/** Integer quotas proportional to `counts` summing to `total` (largest remainder; ties to the lower class). */
function apportion(counts: Int32Array, total: number, n: number): number[] {
  const exact = Array.from(counts, (c) => (c * total) / n);
  const quotas = exact.map(Math.floor);
  let left = total - quotas.reduce((a, b) => a + b, 0);
  const order = exact.map((e, c) => ({ c, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.c - b.c);
  for (const { c } of order) {
    if (left === 0) break;
    if (quotas[c] < counts[c]) {
      quotas[c]++;
      left--;
    }
  }
  return quotas;
}
