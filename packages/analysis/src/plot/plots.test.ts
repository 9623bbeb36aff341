import { Engine, ReferenceBackend } from '@skipinit/tensor';
import { describe, expect, test } from 'vitest';
import { mlp } from '../../test/nets';
import { withScheme } from '../schemes';
import { signalPropagation } from '../signal';
import type { SignalReport } from '../signal';
import type { BatchRow, LrPoint } from '../sweep/derived';
import { renderPlot } from './render';
import { signalPanelsSpec, variancePlotSpec } from './signal-plots';
import { accuracyVsLrSpec, optimalLrSpec, trainingCurvesSpec } from './sweep-plots';

const engine = new Engine(new ReferenceBackend());
const reports: SignalReport[] = [];
for (const s of ['plain', 'bn', 'skipinit'] as const) reports.push(await signalPropagation(withScheme(mlp(8, { width: 16 }), s), { engine, batch: 8, scheme: s }));
const overflowing = { ...reports[0], overflow: { index: 5, name: 'block6' } };

type Json = Record<string, any>;
const json = (x: unknown): Json => JSON.parse(JSON.stringify(x)) as Json;

describe('plot specs', () => {
  test('variance plot: a log y scale, one series per scheme, theory dashed, the overflow marked, a zoom on the bounded schemes', () => {
    const spec = json(variancePlotSpec([overflowing, reports[1], reports[2]]));
    const [main, zoom] = spec.hconcat;
    const lines = main.layer[0];
    expect(lines.encoding.y.scale.type).toBe('log');
    expect(lines.encoding.strokeDash.scale).toEqual({ domain: ['measured', 'theory'], range: [[1, 0], [6, 4]] });
    const rows = lines.data.values as Json[];
    expect(new Set(rows.map((r) => r.scheme))).toEqual(new Set(['plain', 'bn', 'skipinit']));
    // block 0 is the first input, then one point per block and series
    expect(rows.filter((r) => r.scheme === 'bn' && r.series === 'measured').map((r) => r.block)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(rows.find((r) => r.scheme === 'bn' && r.series === 'theory' && r.block === 3)!.value).toBeCloseTo(reports[1].records[2].theory!.output, 12);
    expect(main.layer[1].data.values).toEqual([{ scheme: 'plain', block: 6, label: 'plain overflows float32 at block 6', align: 'right' }]);
    expect(new Set((zoom.data.values as Json[]).map((r) => r.scheme))).toEqual(new Set(['bn', 'skipinit']));
  });

  test('signal panels: four metrics on independent log scales', () => {
    const spec = json(signalPanelsSpec(reports));
    expect(spec.facet.column.sort).toEqual(['avg channel squared mean', 'avg channel variance', 'residual branch variance', 'branch/skip ratio']);
    expect(spec.resolve.scale.y).toBe('independent');
    // skipinit's ratio is 0: it cannot sit on a log scale and is left out, not drawn at a made-up value
    expect((spec.data.values as Json[]).some((r) => r.scheme === 'skipinit' && r.metric === 'branch/skip ratio')).toBe(false);
  });

  const points: LrPoint[] = [
    { scheme: 'bn', depth: 10, batch: 32, lr: 0.1, accuracy: 0.9, diverged: false, stalled: false, finished: true, replicates: 1 },
    { scheme: 'bn', depth: 10, batch: 32, lr: 1, accuracy: null, diverged: true, stalled: false, finished: true, replicates: 1 },
    { scheme: 'skipinit', depth: 10, batch: 256, lr: 0.1, accuracy: 0.8, diverged: false, stalled: false, finished: true, replicates: 1 },
    { scheme: 'skipinit', depth: 10, batch: 256, lr: 1, accuracy: 0.5, diverged: false, stalled: false, finished: false, replicates: 1 },
  ];

  test('accuracy against learning rate: a panel per batch size, log x, diverged runs as crosses at 0, unfinished left out', () => {
    const spec = json(accuracyVsLrSpec(points));
    expect(spec.facet.column.field).toBe('batch');
    expect(spec.facet.row).toBeUndefined();
    expect(spec.spec.layer[0].encoding.x.scale.type).toBe('log');
    expect(spec.data.values).toEqual([
      { scheme: 'bn', lr: 0.1, batch: 'batch 32', batchSize: 32, depth: '10 blocks', accuracy: 0.9, outcome: 'trained' },
      { scheme: 'bn', lr: 1, batch: 'batch 32', batchSize: 32, depth: '10 blocks', accuracy: 0, outcome: 'diverged' },
      { scheme: 'skipinit', lr: 0.1, batch: 'batch 256', batchSize: 256, depth: '10 blocks', accuracy: 0.8, outcome: 'trained' },
    ]);
    expect(spec.spec.layer[1].mark.shape).toBe('cross');
  });

  test('learning rates against batch size: optimal solid, largest stable dashed, log-2 batch axis', () => {
    const rows: BatchRow[] = [{ depth: 10, batch: 32, scheme: 'bn', lrs: 2, optimalLr: 0.1, optimalAccuracy: 0.9, largestStableLr: 0.1, smallestFailedLr: 1 }];
    const spec = json(optimalLrSpec(rows));
    expect(spec.encoding.x.scale).toEqual({ type: 'log', base: 2 });
    expect(spec.data.values).toEqual([
      { scheme: 'bn', batch: 32, lr: 0.1, kind: 'optimal lr' },
      { scheme: 'bn', batch: 32, lr: 0.1, kind: 'largest stable lr' },
    ]);
  });

  test('training curves: loss per step record, accuracy per evaluation', () => {
    const metrics = [
      { type: 'step', step: 1, loss: 2.3 },
      { type: 'step', step: 2, loss: 1.9 },
      { type: 'eval', step: 2, split: 'test', accuracy: 0.4 },
      { type: 'epoch', step: 2, loss: 2.1 },
    ];
    const spec = json(trainingCurvesSpec([{ label: 'run', metrics }]));
    expect(spec.vconcat[0].data.values).toEqual([
      { run: 'run', step: 1, loss: 2.3 },
      { run: 'run', step: 2, loss: 1.9 },
    ]);
    expect(spec.vconcat[1].data.values).toEqual([{ run: 'run', step: 2, accuracy: 0.4, split: 'test' }]);
  });
});

describe('rendering (headless: vega -> SVG -> resvg -> PNG)', () => {
  test('a real SVG with the scheme names in it, and a PNG of twice its size', async () => {
    const { svg, png } = await renderPlot(variancePlotSpec(reports));
    expect(svg.startsWith('<svg')).toBe(true);
    for (const s of ['plain', 'bn', 'skipinit', 'residual block l']) expect(svg).toContain(s);
    expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(png.buffer, png.byteOffset);
    const svgWidth = Number(/width="(\d+)"/.exec(svg)![1]);
    expect(view.getUint32(16)).toBe(2 * svgWidth); // IHDR width
  });
});
