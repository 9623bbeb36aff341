// fast-check generators of valid, inferable graphs: an image phase (convs, norms, conv residual
// blocks, stages), a transition (flatten or global pool), a flat phase (denses, mlp blocks,
// repeats), and a head. Spans, ids and explicit alphas appear at random.
import fc from 'fast-check';
import type { Graph, InitName, Node, NormName, Span } from '../src/index';
import {
  ACTIVATION_NAMES,
  INIT_NAMES,
  NORM_NAMES,
  batchnorm,
  conv,
  dense,
  dropout,
  flatten,
  globalPool,
  graph,
  head,
  input,
  layernorm,
  preact,
  relu,
  repeat,
  resblock,
  stage,
  activation,
  inferGraph,
} from '../src/index';

const span: fc.Arbitrary<Span | undefined> = fc.option(
  fc.record({
    offset: fc.nat(1000),
    endOffset: fc.nat(1000),
    line: fc.integer({ min: 1, max: 50 }),
    col: fc.integer({ min: 1, max: 80 }),
    endLine: fc.integer({ min: 1, max: 50 }),
    endCol: fc.integer({ min: 1, max: 80 }),
  }).map((s) => ({ ...s })),
  { nil: undefined },
);

const withSpan = (n: Node, s: Span | undefined): Node => (s === undefined ? n : { ...n, span: s });
const init = fc.constantFrom(...INIT_NAMES);
const norm = fc.constantFrom(...NORM_NAMES);
/** An NF block is normaliser-free: its branch takes no norm. */
const nfNorm = (o: { norm: NormName; init: InitName }): NormName => (o.init === 'nf' ? 'none' : o.norm);
// (an NF block with a norm is legal, but validation warns about it, and the properties expect no issues)
/** A finite double without -0 (JSON has no negative zero). */
const alpha = fc.option(fc.double({ min: -2, max: 2, noNaN: true }).map((x) => (Object.is(x, -0) ? 0 : x)), { nil: undefined });

const imageNode: fc.Arbitrary<Node> = fc.oneof(
  fc.record({ out: fc.integer({ min: 1, max: 6 }), k: fc.constantFrom(1, 3), s: fc.constantFrom(1, 2), bias: fc.boolean() }).map((o) =>
    conv(o.out, { kernel: o.k, stride: o.s, bias: o.bias }),
  ),
  fc.constant(batchnorm()),
  fc.constant(layernorm()),
  fc.constantFrom(...ACTIVATION_NAMES).map((f) => activation(f)),
  fc.record({ w: fc.integer({ min: 1, max: 6 }), s: fc.constantFrom(1, 2), count: fc.integer({ min: 1, max: 40 }), norm, init, alpha }).map((o) =>
    resblock({ count: o.count, branch: preact({ width: o.w, stride: o.s, norm: nfNorm(o) }), init: o.init, ...(o.alpha === undefined ? {} : { alpha: o.alpha }) }),
  ),
  fc.record({ w: fc.integer({ min: 1, max: 6 }), s: fc.constantFrom(1, 2), blocks: fc.integer({ min: 1, max: 6 }), norm, init }).map((o) =>
    stage({ width: o.w, blocks: o.blocks, stride: o.s, block: { init: o.init, branch: { norm: nfNorm(o) } } }),
  ),
);

const flatNode: fc.Arbitrary<Node> = fc.oneof(
  fc.record({ u: fc.integer({ min: 1, max: 12 }), bias: fc.boolean() }).map((o) => dense(o.u, { bias: o.bias })),
  fc.constant(relu()),
  fc.double({ min: 0, max: 0.9, noNaN: true }).map((p) => dropout(p)),
  fc.record({ w: fc.integer({ min: 1, max: 12 }), count: fc.integer({ min: 1, max: 200 }), norm, init, alpha }).map((o) =>
    resblock({ count: o.count, branch: preact({ kind: 'mlp', width: o.w, norm: nfNorm(o) }), init: o.init, ...(o.alpha === undefined ? {} : { alpha: o.alpha }) }),
  ),
  fc.record({ u: fc.integer({ min: 1, max: 8 }), count: fc.integer({ min: 1, max: 5 }) }).map((o) => repeat(o.count, [dense(o.u), relu()])),
);

/** A valid graph that infers without errors. */
export const arbGraph: fc.Arbitrary<Graph> = fc
  .record({
    c: fc.integer({ min: 1, max: 4 }),
    h: fc.integer({ min: 1, max: 12 }),
    w: fc.integer({ min: 1, max: 12 }),
    image: fc.array(fc.tuple(imageNode, span), { maxLength: 4 }),
    pool: fc.boolean(),
    flat: fc.array(fc.tuple(flatNode, span), { maxLength: 4 }),
    head: fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
    name: fc.string({ maxLength: 8 }),
  })
  .map((o) =>
    graph(o.name, [
      input([o.c, o.h, o.w]),
      ...o.image.map(([n, s]) => withSpan(n, s)),
      o.pool ? globalPool() : flatten(),
      ...o.flat.map(([n, s]) => withSpan(n, s)),
      o.head === undefined ? dense(3) : head(o.head),
    ]),
  )
  // NF blocks put weight standardisation on their layers, which needs a fan-in of 2 (a 1-channel input
  // projected, a 1-unit block input): drop the few graphs where one has 1.
  .filter((g) => inferGraph(g).ok);
