import { conv, graph, head, input, relu, stage } from '@skipinit/graph';
import { build } from '@skipinit/layers';
import { ReferenceBackend, setBackend } from '@skipinit/tensor';
import { describeOnnx, exportOnnx, initializerValues } from '../src';

setBackend(new ReferenceBackend(), { seed: 0 }); // any engine: the exporter only reads the weights
const g = graph('tiny', [
  input([1, 28, 28]),
  conv(8),
  stage({ width: 16, blocks: 1, stride: 2, block: { init: 'skipinit', branch: { norm: 'none' } } }),
  relu(),
  head(10),
]);
const model = build(g, { seed: 0 }); // in practice: a trained model (skipinit export RUN_DIR does the loading)
const onnx = exportOnnx(model, { normalization: { mean: [0.1307], std: [0.3081] }, metadata: { class_names: '["0","1","2","3","4","5","6","7","8","9"]' } });
const s = describeOnnx(onnx.bytes); // the bytes read back
console.log(s.opset, JSON.stringify(s.inputs[0].shape), s.outputs.map((o) => o.name).join(' ')); // 17 ["batch",1,28,28] logits probabilities
console.log(s.graph.node!.slice(0, 3).map((n) => n.opType).join(' ')); // Sub Div Conv
const pads = (name: string) => JSON.stringify(s.graph.node!.find((n) => n.name === name)!.attribute!.find((a) => a.name === 'pads')!.ints!.map(Number));
console.log(pads('stage1.block1.conv1'), pads('stage1.block1.conv2')); // [0,0,0,0] [1,1,1,1]
console.log(JSON.stringify(initializerValues(s.graph, 'stage1.block1.conv1.pads'))); // [0,0,0,0,0,0,1,1]
console.log(JSON.stringify(s.ops)); // {"Sub":1,"Div":1,"Conv":4,"Relu":3,"Pad":1,"Mul":1,"Add":1,"GlobalAveragePool":1,"Flatten":1,"Gemm":1,"Identity":1,"Softmax":1}
