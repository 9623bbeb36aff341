// Convolution and pooling for the reference backend: direct loops, float64, written to be obviously
// right rather than fast. Layouts: x [N,C,H,W], w [O,C,KH,KW], y [N,O,OH,OW].

import type { Conv2dParams, Pool2dParams } from '../backend';

export function conv2d(x: Float64Array, w: Float64Array, p: Conv2dParams): Float64Array {
  const [n, c, h, wd] = p.xShape;
  const [o, , kh, kw] = p.wShape;
  const [, , oh, ow] = p.outShape;
  const y = new Float64Array(n * o * oh * ow);
  for (let b = 0; b < n; b++)
    for (let f = 0; f < o; f++)
      for (let i = 0; i < oh; i++)
        for (let j = 0; j < ow; j++) {
          let acc = 0;
          for (let ch = 0; ch < c; ch++)
            for (let u = 0; u < kh; u++) {
              const r = i * p.strideH - p.padTop + u;
              if (r < 0 || r >= h) continue;
              for (let v = 0; v < kw; v++) {
                const col = j * p.strideW - p.padLeft + v;
                if (col < 0 || col >= wd) continue;
                acc += x[((b * c + ch) * h + r) * wd + col] * w[((f * c + ch) * kh + u) * kw + v];
              }
            }
          y[((b * o + f) * oh + i) * ow + j] = acc;
        }
  return y;
}

/** Visits every (output cell, kernel tap) pair that reads an in-bounds input cell. */
function forEachTap(p: Conv2dParams, fn: (xi: number, wi: number, yi: number) => void): void {
  const [n, c, h, wd] = p.xShape;
  const [o, , kh, kw] = p.wShape;
  const [, , oh, ow] = p.outShape;
  for (let b = 0; b < n; b++)
    for (let f = 0; f < o; f++)
      for (let i = 0; i < oh; i++)
        for (let j = 0; j < ow; j++) {
          const yi = ((b * o + f) * oh + i) * ow + j;
          for (let ch = 0; ch < c; ch++)
            for (let u = 0; u < kh; u++) {
              const r = i * p.strideH - p.padTop + u;
              if (r < 0 || r >= h) continue;
              for (let v = 0; v < kw; v++) {
                const col = j * p.strideW - p.padLeft + v;
                if (col < 0 || col >= wd) continue;
                fn(((b * c + ch) * h + r) * wd + col, ((f * c + ch) * kh + u) * kw + v, yi);
              }
            }
        }
}

export function conv2dBackpropInput(dy: Float64Array, w: Float64Array, p: Conv2dParams): Float64Array {
  const dx = new Float64Array(p.xShape.reduce((a, b) => a * b, 1));
  forEachTap(p, (xi, wi, yi) => (dx[xi] += dy[yi] * w[wi]));
  return dx;
}

export function conv2dBackpropFilter(x: Float64Array, dy: Float64Array, p: Conv2dParams): Float64Array {
  const dw = new Float64Array(p.wShape.reduce((a, b) => a * b, 1));
  forEachTap(p, (xi, wi, yi) => (dw[wi] += x[xi] * dy[yi]));
  return dw;
}

/** Calls fn(outIndex, inIndices, divisor) for every pooling window. */
function forEachWindow(p: Pool2dParams, fn: (yi: number, cells: number[], divisor: number) => void): void {
  const [n, c, h, w] = p.xShape;
  const [, , oh, ow] = p.outShape;
  const cells: number[] = [];
  for (let b = 0; b < n * c; b++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++) {
        cells.length = 0;
        for (let u = 0; u < p.kernelH; u++) {
          const r = i * p.strideH - p.padTop + u;
          if (r < 0 || r >= h) continue;
          for (let v = 0; v < p.kernelW; v++) {
            const col = j * p.strideW - p.padLeft + v;
            if (col >= 0 && col < w) cells.push((b * h + r) * w + col);
          }
        }
        const divisor = p.countIncludePad ? p.kernelH * p.kernelW : cells.length;
        fn((b * oh + i) * ow + j, cells, divisor);
      }
}

export function pool2d(x: Float64Array, p: Pool2dParams): Float64Array {
  const y = new Float64Array(p.outShape.reduce((a, b) => a * b, 1));
  forEachWindow(p, (yi, cells, divisor) => {
    if (p.kind === 'max') {
      let m = -Infinity;
      for (const k of cells) if (x[k] > m || Number.isNaN(x[k])) m = x[k];
      y[yi] = m;
    } else {
      let s = 0;
      for (const k of cells) s += x[k];
      y[yi] = s / divisor;
    }
  });
  return y;
}

export function pool2dBackward(dy: Float64Array, x: Float64Array, p: Pool2dParams): Float64Array {
  const dx = new Float64Array(p.xShape.reduce((a, b) => a * b, 1));
  forEachWindow(p, (yi, cells, divisor) => {
    if (p.kind === 'max') {
      let best = -1;
      for (const k of cells) if (best < 0 || x[k] > x[best]) best = k; // the first maximum
      if (best >= 0) dx[best] += dy[yi];
    } else {
      for (const k of cells) dx[k] += dy[yi] / divisor;
    }
  });
  return dx;
}
