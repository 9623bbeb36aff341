// Gradient clipping by global norm, torch.nn.utils.clip_grad_norm_'s rule:
//   total = sqrt(sum over parameters of sum(grad^2));  factor = min(1, maxNorm / (total + 1e-6))
// The factor is handed to the optimiser's step (which scales the gradients it reads), so the gradients
// themselves stay as backward left them.
import { noGrad, tidy } from '@skipinit/tensor';
import type { Tensor } from '@skipinit/tensor';
import type { OptimParam } from './sgd';

/**
 * The global L2 norm of the parameters' gradients (those without one count 0) and the clipping factor.
 * Asynchronous: the norm is read back (one read, at the backend's precision), as WebGPU reads.
 */
export function clipGradNorm(params: readonly OptimParam[], maxNorm: number): Promise<{ norm: number; factor: number }> {
  if (!(Number.isFinite(maxNorm) && maxNorm > 0)) throw new RangeError(`clipGradNorm: maxNorm must be a positive number, got ${maxNorm}`);
  const total = noGrad(() =>
    tidy(() => {
      let sum: Tensor | null = null;
      for (const p of params) {
        const g = p.value.grad;
        if (g === null) continue;
        const s = g.square().sum();
        sum = sum === null ? s : sum.add(s);
      }
      return sum;
    }),
  );
  if (total === null) return Promise.resolve({ norm: 0, factor: 1 });
  return readFactor(total, maxNorm);
}

async function readFactor(total: Tensor, maxNorm: number): Promise<{ norm: number; factor: number }> {
  try {
    const norm = Math.sqrt((total.engine.backend.precision === 'float64' ? await total.data64() : await total.data())[0]);
    return { norm, factor: Math.min(1, maxNorm / (norm + 1e-6)) };
  } finally {
    total.dispose();
  }
}
