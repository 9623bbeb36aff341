import { fans, initWeight, kaimingNormal, orthogonal, RESIDUAL_SCHEMES, branchScalar } from '../src';

// Any generator with uniform() in [0, 1) will do (@skipinit/tensor's Rng is the usual one).
let s = 42;
const rng = { uniform: (): number => (s = (s * 16807) % 2147483647) / 2147483647 };

const shape = [64, 32, 3, 3]; // conv [out, in, kh, kw]
console.log(JSON.stringify(fans(shape))); // {"fanIn":288,"fanOut":576}
const w = kaimingNormal(shape, fans(shape), rng, { mode: 'fan_in', nonlinearity: 'relu' }); // N(0, 2/288)
console.log(w.length, (w.reduce((a, v) => a + v * v, 0) / w.length).toFixed(4)); // 18432 0.0070
const q = orthogonal([4, 8], rng); // rows orthonormal
console.log(q.slice(0, 8).reduce((a, v) => a + v * v, 0).toFixed(6)); // 1.000000
const zero = initWeight('zeros', [10, 128], rng); // by vocabulary name, as layers does
console.log(zero.every((v) => v === 0)); // true
console.log(JSON.stringify(branchScalar('skipinit', 1000)), RESIDUAL_SCHEMES.scaled.alpha(100)?.init); // {"init":0,"learnable":true} 0.1
console.log(RESIDUAL_SCHEMES.fixup.weightGain(16, 2, 0), RESIDUAL_SCHEMES.fixup.lastLayer); // 0.25 zeros
