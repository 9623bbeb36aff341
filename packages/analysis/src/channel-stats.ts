// Per-channel statistics of one activation tensor, the quantities of signal-propagation plots (Brock, De &
// Smith 2021, the same group's reference code for De & Smith 2020):
//
//   average channel squared mean   mean over channels c of (mean over batch and space of x[:, c])^2
//   average channel variance       mean over channels c of (variance over batch and space of x[:, c])
//
// The variance is the population variance (divide by the count, as batch norm does), so the two add up to
// the average second moment mean(x^2) exactly. Channels are axis 1: [N, C, H, W] for images, [N, F] for
// flat features (every feature a channel). Sums run in float64 on the host over the float32 values the
// engine gives back, so a stream near float32's largest value (3.4e38) still has a finite variance
// (~1e76); a value that is not finite (float32 overflow, or NaN after it) makes every statistic null.

/** Float32's largest finite value. */
export const FLOAT32_MAX = 3.4028234663852886e38;

export interface ChannelStats {
  /** Mean over channels of the squared per-channel mean; null when some value is not finite. */
  readonly squaredMean: number | null;
  /** Mean over channels of the per-channel (population) variance; null when some value is not finite. */
  readonly variance: number | null;
  /** squaredMean + variance = mean(x^2); null when some value is not finite. */
  readonly secondMoment: number | null;
  /** Every value is a finite float32. */
  readonly finite: boolean;
}

/** Channels and values per channel per example of a batch of shape [N, C, ...]. */
function layout(shape: readonly number[], length: number): { n: number; c: number; s: number } {
  if (shape.length < 2)
    throw new RangeError(`channelStats: expected a batch [N, C, ...] (rank >= 2), got shape [${shape.join(', ')}]`);
  const n = shape[0];
  const c = shape[1];
  const s = shape.slice(2).reduce((a, b) => a * b, 1);
  if (n * c * s !== length)
    throw new RangeError(`channelStats: shape [${shape.join(', ')}] holds ${n * c * s} values, but ${length} were given`);
  if (n * s === 0 || c === 0) throw new RangeError(`channelStats: shape [${shape.join(', ')}] has no values to average`);
  return { n, c, s };
}

/** The statistics of a batch `data` of shape [N, C, ...] (row-major, as Tensor.dataSync gives it). */
export function channelStats(data: ArrayLike<number>, shape: readonly number[]): ChannelStats {
  const { n, c, s } = layout(shape, data.length);
  const sums = new Float64Array(c);
  for (let i = 0; i < n; i++) {
    for (let ch = 0; ch < c; ch++) {
      const base = (i * c + ch) * s;
      let acc = 0;
      for (let k = 0; k < s; k++) acc += data[base + k];
      sums[ch] += acc;
    }
  }
  const count = n * s;
  let meanSquares = 0;
  for (let ch = 0; ch < c; ch++) {
    const m = sums[ch] / count;
    if (!Number.isFinite(m) || Math.abs(m) > FLOAT32_MAX) return NOT_FINITE;
    sums[ch] = m;
    meanSquares += m * m;
  }
  // Second pass: squared deviations from each channel's mean (no cancellation, unlike E[x^2] - E[x]^2).
  const devs = new Float64Array(c);
  for (let i = 0; i < n; i++) {
    for (let ch = 0; ch < c; ch++) {
      const base = (i * c + ch) * s;
      const m = sums[ch];
      let acc = 0;
      for (let k = 0; k < s; k++) {
        const d = data[base + k] - m;
        acc += d * d;
      }
      devs[ch] += acc;
    }
  }
  let variance = 0;
  for (let ch = 0; ch < c; ch++) variance += devs[ch] / count;
  variance /= c;
  const squaredMean = meanSquares / c;
  // A non-finite value makes some sum non-finite; a value beyond float32's range cannot come from a float32
  // engine but can from the float64 reference backend: count it as an overflow too.
  if (!Number.isFinite(variance) || !finiteFloat32(data)) return NOT_FINITE;
  return { squaredMean, variance, secondMoment: squaredMean + variance, finite: true };
}

const NOT_FINITE: ChannelStats = { squaredMean: null, variance: null, secondMoment: null, finite: false };

function finiteFloat32(data: ArrayLike<number>): boolean {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!(v <= FLOAT32_MAX && v >= -FLOAT32_MAX)) return false;
  }
  return true;
}
