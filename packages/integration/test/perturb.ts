// Trained-looking weights for agreement tests: every parameter and buffer of a freshly built model moved
// by seeded noise, so no block is the identity (SkipInit's alpha = 0) and batch norm's running statistics
// are not 0 and 1. Residual scalars stay small (|alpha| ~ 0.1) so a 100-block network stays finite.
import type { Model, ModelState } from '@skipinit/layers';
import { Rng } from '@skipinit/tensor';

export function perturb(model: Model, seed: number): void {
  const rng = new Rng(seed);
  const state: ModelState = model.state();
  const roles = new Map(model.parameters().map((p) => [p.name, p.role] as const));
  for (const [name, entry] of Object.entries(state)) {
    const d = entry.data;
    const noise = (i: number, s: number): number => d[i] + rng.normal(0, s);
    for (let i = 0; i < d.length; i++) {
      if (name.endsWith('.running_var')) d[i] = 0.5 + Math.abs(rng.normal(0, 0.5));
      else if (name.endsWith('.running_mean')) d[i] = rng.normal(0, 0.2);
      else if (roles.get(name) === 'scalar') d[i] = name.endsWith('.alpha') ? rng.normal(0, 0.15) : rng.normal(0, 0.1);
      else if (roles.get(name) === 'norm') d[i] = noise(i, 0.2);
      else if (roles.get(name) === 'bias') d[i] = rng.normal(0, 0.05);
      else d[i] = noise(i, 0.02);
    }
  }
  model.load(state);
}
