// Where a kernel over a row-major tensor finds each cell's coordinates, exactly at any size.
//
// A kernel that needs a cell's coordinates (a broadcast operand, a permutation, a padded or sliced
// copy, a reduction's kept axes) used to decompose its flat index `this.thread.x` by float division:
// exact only below 2^24, because gpu.js holds every local in float32. flatLayout instead spreads the
// dims over gpu.js's three thread axes in groups of adjacent dims whose product stays below the
// limit: a group is decomposed from its own (small) thread id, and each coordinate is handed back as
// an Integer expression (a thread id, or `(local | 0)`), so index sums built from them are i32 and
// exact past 2^24. Below the limit everything lands in one group on thread.x, the 1-D kernel of old.

import { FLOAT_EXACT, decompose, product } from '../kernel-source';

/**
 * `output`: gpu.js output dims, fastest first (one to three); `lines`: statements computing the
 * coordinates (float locals, each below the limit); `coords`: one Integer (i32) expression per dim,
 * outermost first; `flat`: an Integer expression of the cell's row-major flat index.
 */
export type FlatLayout = { readonly output: number[]; readonly lines: string[]; readonly coords: string[]; readonly flat: string };

const AXES = ['x', 'y', 'z'] as const;

/**
 * The layout of a kernel whose cells are the row-major cells of `dims`. `limit` (default 2^24) is
 * where float32 division stops being exact; tests lower it to run the multi-axis layouts on small
 * tensors. A single dim past the limit takes a thread axis alone (no division needed).
 */
export function flatLayout(dims: readonly number[], limit: number = FLOAT_EXACT, prefix = 'c'): FlatLayout {
  const coords = dims.map(() => '0');
  // groups of adjacent dims (indices, outermost first within a group), innermost group first
  const groups: number[][] = [];
  let group: number[] = [];
  let inGroup = 1;
  for (let k = dims.length - 1; k >= 0; k--) {
    const d = dims[k]!;
    if (d === 1) continue;
    if (group.length > 0 && inGroup * d >= limit) {
      groups.push(group);
      [group, inGroup] = [[], 1];
    }
    group.unshift(k);
    inGroup *= d;
  }
  if (group.length > 0) groups.push(group);
  if (groups.length > AXES.length) throw new RangeError(`internal: shape [${dims.join(',')}] needs ${groups.length} thread axes to index exactly below ${limit} (gpu.js has 3)`);
  const lines: string[] = [];
  groups.forEach((g, gi) => {
    const tid = `this.thread.${AXES[gi]}`;
    if (g.length === 1) {
      coords[g[0]!] = tid;
      return;
    }
    const name = `${prefix}${gi}_`;
    lines.push(...decompose(tid, g.map((k) => dims[k]!), name));
    g.forEach((k, j) => (coords[k] = `(${name}${j} | 0)`));
  });
  const output = groups.length === 0 ? [1] : groups.map((g) => product(g.map((k) => dims[k]!)));
  let flat: string;
  if (groups.length <= 1) {
    flat = groups.length === 0 ? '0' : 'this.thread.x';
  } else {
    const terms: string[] = [];
    let stride = 1;
    for (let gi = 0; gi < groups.length; gi++) {
      terms.push(stride === 1 ? `this.thread.${AXES[gi]}` : `this.thread.${AXES[gi]} * ${stride}`);
      stride *= output[gi]!;
    }
    flat = terms.join(' + ');
  }
  return { output, lines, coords, flat };
}
