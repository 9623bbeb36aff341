import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SWEEP_LOOP, planSweep, sweepManifest } from '@skipinit/analysis/node';
import { dense, graph, head, input, resolveTrainSpec } from '@skipinit/graph';
import { DirStore, enqueueSweep, openQueue, parseRedisUrl, sweepStatus } from '../src';
import { startRedisServer } from '../src/testing';

const server = await startRedisServer(); // a real redis-server on a free loopback port, for the example
const target = parseRedisUrl(server.url);
const { redis, queue, close } = openQueue(target);
const net = graph('tiny', [input([2]), dense(8), head(10)]);
const train = (lr: number) => resolveTrainSpec({ data: { name: 'blobs', batch: 16 }, optimizer: { name: 'sgd', lr }, steps: 10, seed: 0 });
const cells = planSweep([0.01, 0.1].map((lr, index) => ({ index, key: `lr=${lr}`, values: { lr }, graph: net, train: train(lr) })));
const manifest = sweepManifest('tiny', [{ name: 'lr', values: [0.01, 0.1] }], cells, DEFAULT_SWEEP_LOOP);
const store = new DirStore(mkdtempSync(join(tmpdir(), 'store-')));
const options = { redis, queue, store, manifest, cells, shown: target.shown };
console.log((await enqueueSweep(options)).cells.map((c) => c.as)); // [ 'added', 'added' ]
const again = await enqueueSweep(options); // the same jobs again: nothing changes
console.log(again.cells.map((c) => c.as)); // [ 'waiting', 'waiting' ]
console.log((await sweepStatus(queue, again.sweep, store)).map((r) => `${r.key}: ${r.state}`)); // [ 'lr=0.01: waiting', 'lr=0.1: waiting' ]
await close();
await server.stop();
