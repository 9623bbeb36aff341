import { Xoshiro128, shuffle } from '../src';

const g = new Xoshiro128([1, 2, 3, 4]); // the state: four uint32 words, not all zero
console.log(g.nextUint32(), g.nextUint32(), g.nextUint32()); // 11520 0 5927040
console.log(JSON.stringify(g.words())); // [25179138,12295,540162,2107404]
const copy = new Xoshiro128(g.words()); // the state is all there is: a copy continues the stream
console.log(copy.random() === g.random()); // true
console.log(shuffle([1, 2, 3, 4, 5], (n) => Math.floor(g.random() * n)).join(' ')); // 5 1 3 4 2
