// The networks of R3-R5, described once as plain data. Our side turns a description into a graph
// (@skipinit/graph's builders) and builds it with @skipinit/layers, as a user does; the TensorFlow.js
// side (systems/tfjs-models.ts) writes the same network from tf ops and loads the weights our model
// was initialised with. Same shapes, same initialisation.

import type { Graph } from '@skipinit/graph';
import { batchnorm, conv, dense, flatten, graph, head, input, preact, relu, resblock, stage } from '@skipinit/graph';

/**
 * Issue 7's R3: a CIFAR-shaped pre-activation ResNet. Stem conv 3 -> 16, stages of widths 16/32/64
 * with 2 blocks each (stride 2 and a 1x1 projection at the first block of stages 2 and 3), global
 * average pool, dense 64 -> 10.
 *   'bn':       batch norm in every branch and before the head, He init, no branch scalar, no conv biases.
 *   'skipinit': no norm, conv biases, He init, a learnable scalar alpha = 0 per block.
 */
export interface ResNetArch {
  readonly kind: 'resnet';
  readonly variant: 'bn' | 'skipinit';
  /** [C, H, W]. */
  readonly input: readonly [number, number, number];
  readonly stem: number;
  readonly stages: readonly { readonly width: number; readonly blocks: number; readonly stride: number }[];
  readonly classes: number;
}

/**
 * Issue 7's R4: a residual MLP. Flatten, dense in -> width, `depth` blocks of
 * x + alpha * dense(relu(dense(relu(x)))) (no biases in the branch, alpha learnable from 0: SkipInit),
 * relu, dense width -> classes.
 */
export interface MlpArch {
  readonly kind: 'mlp';
  readonly input: readonly number[];
  readonly width: number;
  readonly depth: number;
  readonly classes: number;
}

export type Arch = ResNetArch | MlpArch;

export function r3Arch(variant: ResNetArch['variant']): ResNetArch {
  return {
    kind: 'resnet',
    variant,
    input: [3, 32, 32],
    stem: 16,
    stages: [
      { width: 16, blocks: 2, stride: 1 },
      { width: 32, blocks: 2, stride: 2 },
      { width: 64, blocks: 2, stride: 2 },
    ],
    classes: 10,
  };
}

export function r4Arch(depth: number): MlpArch {
  return { kind: 'mlp', input: [1, 28, 28], width: 128, depth, classes: 10 };
}

/** Examples per input. */
export function inputSize(arch: Arch): number {
  return arch.input.reduce((a, b) => a * b, 1);
}

/** The graph our side builds (layer names follow @skipinit/layers: conv1, stage2.block1.shortcut, head, dense2...). */
export function archGraph(arch: Arch): Graph {
  if (arch.kind === 'mlp') {
    return graph(`r4_mlp_d${arch.depth}`, [
      input([...arch.input]),
      flatten(),
      dense(arch.width),
      resblock({ count: arch.depth, branch: preact({ kind: 'mlp', width: arch.width, norm: 'none' }), init: 'skipinit' }),
      relu(),
      dense(arch.classes),
    ]);
  }
  const bn = arch.variant === 'bn';
  return graph(`r3_resnet_${arch.variant}`, [
    input([...arch.input]),
    conv(arch.stem, { bias: !bn }),
    ...arch.stages.map((s) =>
      stage({
        width: s.width,
        blocks: s.blocks,
        stride: s.stride,
        block: { init: bn ? 'he' : 'skipinit', branch: { norm: bn ? 'bn' : 'none', bias: !bn } },
      }),
    ),
    ...(bn ? [batchnorm()] : []),
    relu(),
    head(arch.classes),
  ]);
}
