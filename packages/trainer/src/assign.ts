// Overwriting a tensor's values from host data (checkpoint loading), at the backend's precision:
// float64 values reach the float64 reference backend unrounded, so a resumed run continues exactly.

import { copy_, tensor } from '@skipinit/tensor';
import type { Tensor } from '@skipinit/tensor';

export interface HostValues {
  readonly shape: readonly number[];
  readonly data: ArrayLike<number>;
}

/** Copies `values` into `target` in place (shapes must match); `what` names the target in errors. */
export function assignValues(target: Tensor, values: HostValues, what: string): void {
  const want = target.shape;
  if (values.shape.length !== want.length || values.shape.some((d, i) => d !== want[i])) {
    throw new RangeError(`${what}: stored shape [${values.shape.join(', ')}] does not match [${want.join(', ')}]`);
  }
  const source = tensor(values.data, want, { engine: target.engine });
  try {
    copy_(target, source);
  } finally {
    source.dispose();
  }
}
