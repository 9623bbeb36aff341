import { describe, expect, it } from 'vitest';
import { deepMlp, wideResNet } from '../test/fixtures';
import { toDot } from './dot';
import { graph, input, dense } from './builders';

/** Declared node ids, edges, and whether braces balance. */
function parse(dot: string) {
  const declared = new Set([...dot.matchAll(/^\s*(n\d+) \[/gm)].map((m) => m[1]));
  const edges = [...dot.matchAll(/^\s*(n\d+) -> (n\d+)/gm)].map((m) => [m[1], m[2]]);
  let depth = 0;
  for (const ch of dot.replace(/"(?:[^"\\]|\\.)*"/g, '')) {
    if (ch === '{') depth++;
    if (ch === '}') depth--;
    if (depth < 0) return { declared, edges, balanced: false };
  }
  return { declared, edges, balanced: depth === 0 };
}

describe('toDot', () => {
  it('is a well-formed digraph whose edges join declared nodes', () => {
    const dot = toDot(wideResNet(16, 4));
    expect(dot.startsWith('digraph "wrn-16-4" {\n')).toBe(true);
    const p = parse(dot);
    expect(p.balanced).toBe(true);
    for (const [a, b] of p.edges) {
      expect(p.declared.has(a)).toBe(true);
      expect(p.declared.has(b)).toBe(true);
    }
    // Every node but the input has an edge into it.
    const targets = new Set(p.edges.map((e) => e[1]));
    expect([...p.declared].filter((n) => !targets.has(n))).toEqual(['n0']);
    // Three stages, six blocks, one head: 10 clusters.
    expect(dot.match(/subgraph cluster_/g)).toHaveLength(10);
    // Three projection shortcuts (dashed into the sum from a 1x1 conv) and three identities.
    expect(dot.match(/conv \d+ 1x1\/\d/g)).toHaveLength(3);
    expect(dot.match(/style=dashed\]/g)).toHaveLength(6);
  });

  it('draws a repeated block once, with its count', () => {
    const dot = toDot(deepMlp(1000));
    expect(dot).toContain('label="resblock x 1000\\n32,769 params per block"');
    expect(dot.match(/subgraph cluster_/g)).toHaveLength(1);
    expect(dot.split('\n').length).toBeLessThan(40);
  });

  it('escapes quotes in names', () => {
    const dot = toDot(graph('my "net"', [input(3), dense(2)]));
    expect(dot.startsWith('digraph "my \\"net\\"" {')).toBe(true);
  });
});
