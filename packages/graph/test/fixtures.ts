// Networks the tests share, built with the public builders.
import type { Graph, InitName, NormName } from '../src/index';
import { batchnorm, conv, dense, flatten, graph, head, input, preact, relu, resblock, stage } from '../src/index';

/** Wide-ResNet n-k for CIFAR (Zagoruyko & Komodakis): conv 16, three stages of (n-4)/6 pre-activation blocks of widths 16k, 32k, 64k. */
export function wideResNet(n: number, k: number, norm: NormName = 'bn', init: InitName = 'he'): Graph {
  const blocks = (n - 4) / 6;
  return graph(`wrn-${n}-${k}`, [
    input([3, 32, 32]),
    conv(16, { bias: false }),
    stage({ width: 16 * k, blocks, stride: 1, block: { init, branch: { norm } } }),
    stage({ width: 32 * k, blocks, stride: 2, block: { init, branch: { norm } } }),
    stage({ width: 64 * k, blocks, stride: 2, block: { init, branch: { norm } } }),
    ...(norm === 'bn' ? [batchnorm()] : []),
    relu(),
    head(10),
  ]);
}

/** The deep MLP of examples/deep-mlp.arch: 1 x 28 x 28 -> flatten -> dense 128 -> resblock x depth (mlp, width 128) -> relu -> dense 10. */
export function deepMlp(depth: number, norm: NormName = 'none', init: InitName = 'skipinit'): Graph {
  return graph('deep_mlp', [
    input([1, 28, 28]),
    flatten(),
    dense(128),
    resblock({ count: depth, branch: preact({ kind: 'mlp', width: 128, norm }), init }),
    relu(),
    dense(10),
  ]);
}
