import { graph, input, flatten, dense, resblock, preact, relu, inferGraph, summarize, formatSummary, parseGraph, serializeGraph } from '../src';

const net = graph('deep_mlp', [
  input([1, 28, 28]),
  flatten(),
  dense(128),
  resblock({ count: 1000, branch: preact({ kind: 'mlp', width: 128, norm: 'none' }), init: 'skipinit' }),
  relu(),
  dense(10),
]);

const info = inferGraph(net); // never throws: problems come back as info.issues, with paths and spans
console.log(info.ok, info.output, info.params, info.blocks); // true [ 10 ] 32870770 1000
console.log(info.nodes[3].runs?.[0].expanded.alpha); // { init: 0, learnable: true }
const table = formatSummary(summarize(net)).split('\n'); // a Keras-style summary: "resblock x 1000" is one row
console.log(table.find((row) => row.startsWith('resblock'))); // resblock x 1000 (mlp 128, norm none, skipinit)   128            32,769,000   66,048,000
const text = serializeGraph(net); // {"format":"skipinit-graph","version":1,...}: what a checkpoint stores
console.log(parseGraph(text).nodes.length); // 6
