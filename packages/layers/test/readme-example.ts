import { conv, graph, head, input, relu, stage } from '@skipinit/graph';
import { ReferenceBackend, crossEntropy, noGrad, randn, setBackend } from '@skipinit/tensor';
import { build } from '../src';

setBackend(new ReferenceBackend(), { seed: 0 }); // the float64 oracle; train on @skipinit/backend-gpujs
const g = graph('tiny', [
  input([3, 8, 8]),
  conv(8, { bias: false }),
  stage({ width: 8, blocks: 2, block: { init: 'skipinit', branch: { norm: 'none' } } }),
  relu(),
  head(10),
]);
const model = build(g, { seed: 0 }); // parameter p is drawn from new Rng(seed).fork('init:' + p.name)
console.log(model.numParameters(), model.blocks.length); // 2612 2
console.log(model.parameters().map((p) => p.name).slice(0, 4).join(' ')); // conv1.weight stage1.block1.conv1.weight stage1.block1.conv2.weight stage1.block1.alpha
const x = randn([4, 3, 8, 8]);
const seen: string[] = []; // a hook sees each block's tensors only during the call: read what you need
const logits = model.forward(x, { training: true, onBlock: (b) => seen.push(`${b.name} alpha=${b.alpha} ${b.output.sub(b.input).abs().max().item()}`) });
console.log(seen.join(', ')); // stage1.block1 alpha=0 0, stage1.block2 alpha=0 0
crossEntropy(logits, [0, 1, 2, 3]).backward(); // gradients land in p.grad (p.value.grad)
console.log(model.parameters().filter((p) => p.isWeight).length, JSON.stringify(model.parameters()[3].grad!.shape)); // 6 []
const state = model.state(); // { name: { shape, data: Float32Array } }: what a checkpoint stores
build(g, { seed: 1 }).load(state);
console.log(JSON.stringify(noGrad(() => model.forward(x)).shape)); // [4,10]
