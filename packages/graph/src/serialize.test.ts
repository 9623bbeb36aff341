import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbGraph } from '../test/arbitrary';
import { deepMlp, wideResNet } from '../test/fixtures';
import { GraphError } from './issues';
import { FORMAT_VERSION, parseGraph, parseStudy, serializeGraph, serializeStudy } from './serialize';
import type { Study } from './study-types';

describe('JSON round trip', () => {
  it('JSON.parse(JSON.stringify(g)) equals g, and parseGraph(serializeGraph(g)) too', () => {
    fc.assert(
      fc.property(arbGraph, (g) => {
        expect(JSON.parse(JSON.stringify(g))).toStrictEqual(g);
        expect(parseGraph(serializeGraph(g))).toStrictEqual(g);
        expect(parseGraph(serializeGraph(g, { indent: 2 }))).toStrictEqual(g);
      }),
      { numRuns: 300, seed: 1 },
    );
  });

  it('writes the format and version', () => {
    const doc = JSON.parse(serializeGraph(deepMlp(10)));
    expect(doc.format).toBe('skipinit-graph');
    expect(doc.version).toBe(FORMAT_VERSION);
  });

  it('refuses another version with a clear message', () => {
    const text = JSON.stringify({ format: 'skipinit-graph', version: 2, graph: deepMlp(3) });
    expect(() => parseGraph(text)).toThrow(GraphError);
    expect(() => parseGraph(text)).toThrow(
      'format/version: this is a skipinit-graph document of version 2; this @skipinit/graph reads version 1',
    );
    expect(() => parseGraph(JSON.stringify({ format: 'skipinit-graph', graph: deepMlp(3) }))).toThrow('of version (none)');
  });

  it('refuses non-JSON, another format, and malformed graphs', () => {
    expect(() => parseGraph('{"format":')).toThrow(/^format\/invalid: not JSON/);
    expect(() => parseGraph('[1]')).toThrow('expected a skipinit-graph document (a JSON object), got an array');
    expect(() => parseGraph(serializeStudy({ graph: deepMlp(1), train: null, sweep: null, lets: {} }))).toThrow(
      'expected "format": "skipinit-graph", got "skipinit-study"',
    );
    const bad = JSON.parse(serializeGraph(wideResNet(16, 1)));
    bad.graph.nodes[1].kernel = -1;
    try {
      parseGraph(JSON.stringify(bad));
      expect.unreachable();
    } catch (e) {
      expect((e as GraphError).message).toBe(
        "format/invalid: the graph is malformed: nodes[1].kernel: conv: 'kernel' must be a positive integer, got -1",
      );
      expect((e as GraphError).issues[0].path).toEqual(['nodes', 1, 'kernel']);
    }
  });

  it('round-trips a whole study', () => {
    const study: Study = {
      graph: deepMlp(100),
      train: { data: { name: 'mnist', batch: 64 }, optimizer: { name: 'sgd', lr: 0.01, momentum: 0.9 }, steps: 2000, seed: 0 },
      sweep: { axes: [{ name: 'init', target: 'let', values: ['skipinit', 'he'] }, { name: 'lr', target: 'train', values: [0.01, 0.1] }] },
      lets: { depth: 100, init: 'skipinit' },
    };
    expect(parseStudy(serializeStudy(study))).toStrictEqual(study);
    const bad = JSON.parse(serializeStudy(study));
    bad.study.train.optimizer.lr = -1;
    expect(() => parseStudy(JSON.stringify(bad))).toThrow('lr must be > 0, got -1');
  });
});
