// What module constructors need: the engine to allocate on, and the initialisation stream of each
// parameter. Parameter `name` is initialised from `new Rng(seed).fork(name)`: its values depend only on
// the seed and its name, so adding a layer elsewhere in a network leaves every other parameter's
// initial values unchanged.

import type { Engine } from '@skipinit/tensor';
import { Rng, tensor } from '@skipinit/tensor';
import { NamedBuffer, Parameter } from './parameter';
import type { ParameterRole, WeightLayout } from './parameter';

export class BuildContext {
  private readonly root: Rng;
  constructor(
    readonly engine: Engine,
    readonly seed: number,
  ) {
    this.root = new Rng(seed);
  }

  /** The generator that initialises parameter `name`. */
  initRng(name: string): Rng {
    return this.root.fork(`init:${name}`);
  }

  /** A trainable leaf on the engine, kept out of every tidy scope (it lives until the model is disposed). */
  parameter(name: string, values: Float32Array, shape: readonly number[], role: ParameterRole, layout: WeightLayout): Parameter {
    const t = tensor(values, shape, { engine: this.engine, requiresGrad: true }).keep();
    return new Parameter(name, t, role, layout);
  }

  buffer(name: string, values: Float32Array, shape: readonly number[], layout: WeightLayout): NamedBuffer {
    return new NamedBuffer(name, tensor(values, shape, { engine: this.engine }).keep(), layout);
  }
}
