import { ReferenceBackend, crossEntropy, linear, memory, randn, setBackend, tensor, tidy } from '../src';

setBackend(new ReferenceBackend(), { seed: 0 }); // explicit, at the edge; one seed reproduces everything
const w = randn([3, 4], { requiresGrad: true }); // a leaf: gradients accumulate into w.grad
const x = tensor([[1, 2, 3, 4], [0, 1, 0, 1]]);

const loss = tidy(() => crossEntropy(linear(x, w), [2, 0])); // intermediates freed; the tape keeps what backward needs
loss.backward();
console.log(w.grad!.shape); // [ 3, 4 ]
console.log(loss.dataSync().length); // 1
loss.dispose();
console.log(memory().numTensors); // 3
