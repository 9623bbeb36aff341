// build(graph) -> Model: shape inference (@skipinit/graph's inferGraph) says exactly which layers to
// build and their shapes, including every residual block's expansion; this walks it and makes one
// module per layer, one ResidualBlock per repetition (each with its own parameters), named as
// naming.ts says.

import type { Graph, NodeInfo } from '@skipinit/graph';
import { inferGraph, nfBeta } from '@skipinit/graph';
import type { Engine } from '@skipinit/tensor';
import { Rng, getEngine } from '@skipinit/tensor';
import { BuildContext } from './build-context';
import { LayersError } from './errors';
import { layerStem, makeLayer } from './layer-factory';
import { Model } from './model';
import type { Unit } from './model';
import { Scope } from './naming';
import { ResidualBlock } from './residual-block';

export interface BuildOptions {
  /** Seed of the initialisation and of the dropout stream (default 0). Parameter p is drawn from new Rng(seed).fork('init:' + p.name). */
  readonly seed?: number;
  /** The engine to allocate on (default: the current one, see setBackend). */
  readonly engine?: Engine;
}

/** A model with freshly initialised parameters for `graph`. Throws LayersError listing the graph's problems if it does not infer. */
export function build(graph: Graph, options: BuildOptions = {}): Model {
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new LayersError('build', `seed must be a non-negative integer, got ${String(seed)}`);
  const inference = inferGraph(graph);
  if (!inference.ok || inference.input === null || inference.output === null) {
    const errors = inference.issues.filter((i) => i.severity === 'error');
    const name = typeof graph?.name === 'string' ? `'${graph.name}'` : '(unnamed)';
    throw new LayersError('build', `graph ${name} does not build: ${errors.map((i) => `${i.where}: ${i.code}: ${i.message}`).join('; ')}`, errors);
  }
  const engine = options.engine ?? getEngine();
  const ctx = new BuildContext(engine, seed);
  const units: Unit[] = [];
  try {
    new Walker(ctx, units).walk(inference.nodes, new Scope(''));
    return new Model(graph, engine, seed, units, inference.input, inference.output, new Rng(seed).fork('dropout'));
  } catch (e) {
    for (const u of units) for (const t of [...u.parameters, ...u.buffers]) t.value.dispose();
    throw e;
  }
}

class Walker {
  private blockIndex = 0;
  constructor(
    private readonly ctx: BuildContext,
    private readonly units: Unit[],
  ) {}

  walk(infos: readonly NodeInfo[], scope: Scope): void {
    for (const info of infos) this.node(info, scope);
  }

  private node(info: NodeInfo, scope: Scope): void {
    const node = info.node;
    switch (node.kind) {
      case 'input':
        return;
      case 'resblock':
        for (const run of info.runs!) {
          for (let r = 0; r < run.reps; r++) {
            const beta = run.nf === null ? null : nfBeta(run.nf, r);
            const block = new ResidualBlock(scope.next('block'), this.blockIndex++, run.expanded, run, run.inShape, run.outShape, this.ctx, beta);
            this.units.push(block);
          }
        }
        return;
      case 'stage':
        return this.walk(info.body!, new Scope(scope.next('stage')));
      case 'repeat': {
        const name = scope.next('repeat');
        let rep = 0;
        for (const run of info.repeats!) for (let r = 0; r < run.reps; r++) this.walk(run.body, new Scope(`${name}.rep${++rep}`));
        return;
      }
      case 'head': {
        const name = scope.next('head');
        for (const run of info.head!) {
          const layerName = run.node.kind === 'dense' ? name : `${name}.${layerStem(run.node)}`;
          this.units.push(makeLayer(layerName, run.node, run.inShape, run.outShape, this.ctx));
        }
        return;
      }
      default: {
        const run = info.layer!;
        this.units.push(makeLayer(scope.next(layerStem(node)), run.node, run.inShape, run.outShape, this.ctx));
      }
    }
  }
}
