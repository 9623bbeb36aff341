import { BatchLoader, loadMnist, prepare } from '../src';

// Hold out 5000 training images (stratified, seeded), normalise every split with the train statistics.
const { train, validation, test, normalization } = prepare(loadMnist(), { validation: 5000, seed: 0 });
console.log(train.length, validation?.length, test.length); // 55000 5000 10000
console.log(normalization?.mean[0].toFixed(3), normalization?.std[0].toFixed(3)); // 0.131 0.308

const options = { batchSize: 64, seed: 0, augment: { cropPadding: 2 } };
const loader = new BatchLoader(train, options);
const batch = loader.next(); // { x: [64, 1, 28, 28], y: [64], size, epoch, index, indices, last }
console.log(batch.x.length, batch.y.length, loader.batchesPerEpoch); // 50176 64 860

// The position is all a checkpoint needs: order = f(seed, epoch), augmentation = f(seed, epoch, batch).
const saved = JSON.stringify(loader.state());
const expected = loader.next();
const resumed = new BatchLoader(train, options);
resumed.restore(JSON.parse(saved));
console.log(resumed.next().x.every((v, i) => v === expected.x[i])); // true
