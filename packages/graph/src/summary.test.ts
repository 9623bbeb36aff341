import { describe, expect, it } from 'vitest';
import { deepMlp, wideResNet } from '../test/fixtures';
import { conv, custom, dense, graph, input, batchnorm, relu, resblock } from './builders';
import { GraphError } from './issues';
import { formatCount, formatSI, formatSummary, summarize } from './summary';

describe('summarize', () => {
  it('Wide-ResNet 16-4 (golden)', async () => {
    await expect(formatSummary(summarize(wideResNet(16, 4)))).toMatchFileSnapshot('../test/golden/wrn-16-4.summary.txt');
  });

  it('deep MLP, expanded (golden)', async () => {
    await expect(formatSummary(summarize(deepMlp(1000), { expand: true }))).toMatchFileSnapshot('../test/golden/deep-mlp-1000.summary.txt');
  });

  it('Wide-ResNet 1000-2 under Fixup stays compact (golden)', async () => {
    const s = summarize(wideResNet(1000, 2, 'none', 'fixup'));
    expect(s.rows.length).toBeLessThan(20);
    await expect(formatSummary(s)).toMatchFileSnapshot('../test/golden/wrn-1000-2-fixup.summary.txt');
  });

  it('shows a repeated block as one row with its total and one "each" row', () => {
    const s = summarize(deepMlp(1000));
    const rows = s.rows.filter((r) => r.label.startsWith('resblock') || r.label.startsWith('each'));
    expect(rows).toEqual([
      { depth: 0, label: 'resblock x 1000 (mlp 128, norm none, skipinit)', output: '128', params: 32_769_000, flops: 66_048_000 },
      { depth: 1, label: 'each of 1000: 128 -> 128', output: '', params: 32_769, flops: 66_048 },
    ]);
    expect(s.params).toBe(32_870_770);
    expect(s.blocks).toBe(1000);
  });

  it('labels a custom block with its name and arguments', () => {
    const g = graph('c', [input([4, 8, 8]), resblock({ branch: custom('pair', [batchnorm(), relu(), conv(4, { bias: false })], { width: 4 }) })]);
    expect(summarize(g).rows[1].label).toBe('resblock (pair(4), skipinit)');
  });

  it('throws the issues of a graph with errors', () => {
    const g = graph('bad', [input([3, 8, 8]), dense(3)]);
    expect(() => summarize(g)).toThrow(GraphError);
    expect(() => summarize(g)).toThrow("nodes[1]: dense 3 needs a flat input, got 3x8x8: add 'flatten' or 'pool global' before it");
  });

  it('formats counts', () => {
    expect(formatCount(2748890)).toBe('2,748,890');
    expect(formatCount(12)).toBe('12');
    expect(formatSI(786_895_882, 'FLOPs')).toBe('786.9 MFLOPs');
    expect(formatSI(500, 'FLOPs')).toBe('500 FLOPs');
  });
});
