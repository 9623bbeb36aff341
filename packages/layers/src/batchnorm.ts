// Batch normalisation (Ioffe & Szegedy 2015) per channel (images: over N, H, W) or per feature (flat:
// over N), with PyTorch's conventions:
//
//   training:  y = (x - mean_B) / sqrt(var_B + eps) * weight + bias, with the batch's mean and BIASED
//              variance; then, without gradient,
//              running_mean = (1 - momentum) * running_mean + momentum * mean_B
//              running_var  = (1 - momentum) * running_var  + momentum * var_B * n / (n - 1)   (unbiased)
//              where n = values per channel in the batch (N*H*W). n = 1 is an error, as in torch.
//   eval:      y = (x - running_mean) / sqrt(running_var + eps) * weight + bias
//
// momentum and eps come from the graph node (defaults 0.1 and 1e-5). weight starts at 1, bias at 0,
// running_mean at 0, running_var at 1. affine = false drops weight and bias.

import type { BatchNormNode } from '@skipinit/graph';
import type { Tensor } from '@skipinit/tensor';
import { batchNorm, batchNormTraining, copy_, noGrad } from '@skipinit/tensor';
import type { BuildContext } from './build-context';
import { LayersError, formatShape } from './errors';
import type { ForwardContext, Layer } from './layer';
import type { NamedBuffer, Parameter } from './parameter';

export class BatchNorm implements Layer {
  readonly kind = 'batchnorm';
  readonly parameters: readonly Parameter[];
  readonly buffers: readonly NamedBuffer[];
  readonly outShape: readonly number[];
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;
  readonly runningMean: NamedBuffer;
  readonly runningVar: NamedBuffer;
  readonly momentum: number;
  readonly eps: number;
  private readonly channelShape: readonly number[];
  private readonly channels: number;

  constructor(
    readonly name: string,
    node: BatchNormNode,
    readonly inShape: readonly number[],
    ctx: BuildContext,
  ) {
    const c = inShape[0];
    this.channels = c;
    this.outShape = inShape;
    this.momentum = node.momentum;
    this.eps = node.eps;
    const image = inShape.length === 3;
    this.channelShape = image ? [1, c, 1, 1] : [1, c];
    this.weight = node.affine ? ctx.parameter(`${name}.weight`, new Float32Array(c).fill(1), [c], 'norm', 'C') : null;
    this.bias = node.affine ? ctx.parameter(`${name}.bias`, new Float32Array(c), [c], 'norm', 'C') : null;
    this.parameters = this.weight && this.bias ? [this.weight, this.bias] : [];
    this.runningMean = ctx.buffer(`${name}.running_mean`, new Float32Array(c), [c], 'C');
    this.runningVar = ctx.buffer(`${name}.running_var`, new Float32Array(c).fill(1), [c], 'C');
    this.buffers = [this.runningMean, this.runningVar];
  }

  forward(x: Tensor, ctx: ForwardContext): Tensor {
    if (!ctx.training) {
      const options = { eps: this.eps, weight: this.perChannel(this.weight?.value), bias: this.perChannel(this.bias?.value) };
      return batchNorm(x, this.perChannel(this.runningMean.value)!, this.perChannel(this.runningVar.value)!, options);
    }
    const n = x.size / this.channels;
    if (n <= 1) {
      throw new LayersError(
        'forward',
        `${this.name} (batchnorm): expected more than 1 value per channel when training, got input ${formatShape(x.shape)}`,
      );
    }
    // One fused op: the batch's per-channel mean and biased variance [C], and the normalised output
    // (its backward in one pass too).
    const r = batchNormTraining(x, { eps: this.eps, weight: this.weight?.value ?? null, bias: this.bias?.value ?? null });
    noGrad(() => {
      const momentum = this.momentum;
      const rm = this.runningMean.value;
      const rv = this.runningVar.value;
      copy_(rm, rm.mul(1 - momentum).add(r.mean.mul(momentum)));
      copy_(rv, rv.mul(1 - momentum).add(r.variance.mul((momentum * n) / (n - 1))));
    });
    return r.output;
  }

  /** A [C] vector shaped to broadcast against the input: [1, C, 1, 1] for images; as it is for flat inputs. */
  private perChannel(t: Tensor | undefined): Tensor | null {
    if (t === undefined) return null;
    return this.channelShape.length === 2 ? t : t.reshape(this.channelShape);
  }
}
