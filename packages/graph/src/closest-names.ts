// "Did you mean ...?": the valid names closest to a misspelt one.

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transpositions, each costing 1),
 * case-insensitive. Stops early and returns `limit + 1` once the distance must exceed `limit`.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  if (Math.abs(s.length - t.length) > limit) return limit + 1;
  let prev2 = new Array<number>(t.length + 1).fill(0);
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  let cur = new Array<number>(t.length + 1).fill(0);
  for (let i = 1; i <= s.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > limit) return limit + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[t.length];
}

export interface ClosestNamesOptions {
  /** Most suggestions returned. Default 3. */
  max?: number;
  /** Largest distance suggested. Default: 1 for names up to 4 characters, else a third of the length (at least 2). */
  maxDistance?: number;
}

/**
 * The names of `list` closest to `name`, best first (by distance, then by order in `list`). A name
 * that `name` is a prefix of (at least 3 characters typed) also counts as close: `skip` -> `skipinit`.
 * An exact match returns just that name. Returns [] when nothing is close.
 */
export function closestNames(name: string, list: readonly string[], options: ClosestNamesOptions = {}): string[] {
  const max = options.max ?? 3;
  const limit = options.maxDistance ?? (name.length <= 4 ? 1 : Math.max(2, Math.floor(name.length / 3)));
  const lower = name.toLowerCase();
  const scored: { name: string; d: number; i: number }[] = [];
  list.forEach((candidate, i) => {
    if (candidate === name) {
      scored.push({ name: candidate, d: -1, i });
      return;
    }
    let d = editDistance(name, candidate, limit);
    if (d > limit && lower.length >= 3 && candidate.toLowerCase().startsWith(lower)) d = limit;
    if (d <= limit) scored.push({ name: candidate, d, i });
  });
  scored.sort((x, y) => x.d - y.d || x.i - y.i);
  if (scored.length > 0 && scored[0].d === -1) return [scored[0].name];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const s of scored) {
    if (seen.has(s.name)) continue;
    seen.add(s.name);
    out.push(s.name);
    if (out.length === max) break;
  }
  return out;
}
