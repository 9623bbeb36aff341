// 2-D average and max pooling (NCHW). Forward: one output cell per thread [OW, OH, N*C]; padding cells are
// skipped, as PyTorch does (max pads with -inf; average divides by the in-bounds count unless
// countIncludePad). Backward: one input cell per thread, gathering from every window that covers it;
// max pooling routes dy to each window's first maximum (row-major), found again here. Indices: the plane
// offset from thread.z (i32) plus the in-plane offset, a small float, as `(... | 0)`.

import type { Pool2dParams } from '@skipinit/tensor';
import { kernel } from '../kernel';
import { fl, int, kernelFunction } from '../kernel-source';

export const POOL2D = kernel('pool2d', (p: Pool2dParams) => {
  const [n, c, h, w] = p.xShape as [number, number, number, number];
  const [, , oh, ow] = p.outShape as [number, number, number, number];
  const max = p.kind === 'max';
  const lines = [`const iy0 = this.thread.y * ${int(p.strideH)} - ${int(p.padTop)};`, `const ix0 = this.thread.x * ${int(p.strideW)} - ${int(p.padLeft)};`];
  lines.push(...(max ? ['let acc = -3.4e38;', 'let seen = 0.0;'] : ['let acc = 0.0;', 'let count = 0.0;']));
  lines.push(
    `for (let kh = 0; kh < ${int(p.kernelH)}; kh++) {`,
    `  for (let kw = 0; kw < ${int(p.kernelW)}; kw++) {`,
    '    const iy = iy0 + kh;',
    '    const ix = ix0 + kw;',
    `    if (iy >= 0.0 && iy < ${fl(h)} && ix >= 0.0 && ix < ${fl(w)}) {`,
    `      const v = x[this.thread.z * ${int(h * w)} + ((iy * ${int(w)} + ix) | 0)];`,
    max ? '      acc = Math.max(acc, v);' : '      acc = acc + v;',
    max ? '      seen = 1.0;' : '      count = count + 1.0;',
    '    }', '  }', '}',
    max ? 'return (seen > 0.0 ? acc : 0.0);' : p.countIncludePad ? `return acc / ${fl(p.kernelH * p.kernelW)};` : 'return (count > 0.0 ? acc / count : 0.0);',
  );
  return { op: `pool2d.${p.kind}`, output: [ow, oh, n * c], source: kernelFunction(['x'], lines) };
});

/** Statements over the window at (y0, x0) that `body` runs for each in-bounds cell (yy, xx). */
function window(p: Pool2dParams, h: number, w: number, body: string[]): string[] {
  return [
    `      for (let qh = 0; qh < ${int(p.kernelH)}; qh++) {`,
    `        for (let qw = 0; qw < ${int(p.kernelW)}; qw++) {`,
    '          const yy = y0 + qh;',
    '          const xx = x0 + qw;',
    `          if (yy >= 0.0 && yy < ${fl(h)} && xx >= 0.0 && xx < ${fl(w)}) {`,
    ...body,
    '          }', '        }', '      }',
  ];
}

export const POOL2D_BACKWARD = kernel('pool2dBackward', (p: Pool2dParams) => {
  const [n, c, h, w] = p.xShape as [number, number, number, number];
  const [, , oh, ow] = p.outShape as [number, number, number, number];
  const { kernelH: KH, kernelW: KW, strideH: sh, strideW: sw, padTop: pt, padLeft: pl } = p;
  const lines = [
    'const iy = this.thread.y;',
    'const ix = this.thread.x;',
    'let acc = 0.0;',
    `for (let kh = 0; kh < ${int(KH)}; kh++) {`,
    `  for (let kw = 0; kw < ${int(KW)}; kw++) {`,
    `    const ty = iy + ${int(pt)} - kh;`,
    `    const tx = ix + ${int(pl)} - kw;`,
    `    const oy = Math.floor(ty / ${fl(sh)});`,
    `    const ox = Math.floor(tx / ${fl(sw)});`,
    `    if (ty >= 0.0 && tx >= 0.0 && oy * ${int(sh)} == ty && ox * ${int(sw)} == tx && oy < ${fl(oh)} && ox < ${fl(ow)}) {`,
    `      const g = dy[this.thread.z * ${int(oh * ow)} + ((oy * ${int(ow)} + ox) | 0)];`,
    `      const y0 = oy * ${int(sh)} - ${int(pt)};`,
    `      const x0 = ox * ${int(sw)} - ${int(pl)};`,
  ];
  if (p.kind === 'max') {
    const best = [`            const v = x[this.thread.z * ${int(h * w)} + ((yy * ${int(w)} + xx) | 0)];`, '            if (v > best) {', '              best = v;', '              bh = qh;', '              bw = qw;', '            }'];
    lines.push('      let best = -3.4e38;', '      let bh = -1.0;', '      let bw = -1.0;', ...window(p, h, w, best), '      if (bh == kh && bw == kw) {', '        acc = acc + g;', '      }');
  } else if (p.countIncludePad) {
    lines.push(`      acc = acc + g / ${fl(KH * KW)};`);
  } else {
    lines.push('      let count = 0.0;', ...window(p, h, w, ['            count = count + 1.0;']), '      acc = acc + g / count;');
  }
  lines.push('    }', '  }', '}', 'return acc;');
  return { op: `pool2dBackward.${p.kind}`, output: [w, h, n * c], source: kernelFunction(['dy', 'x'], lines) };
});
