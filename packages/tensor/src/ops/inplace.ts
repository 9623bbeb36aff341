// The only mutating ops: they overwrite a tensor's storage in place (every handle sharing it sees the
// change) and are not recorded on the tape. They bump the storage's version, so a backward that needs
// the old values fails loudly instead of computing a wrong gradient (torch's version counter).

import type { SgdParams } from '../backend';
import { TensorError, formatShape } from '../errors';
import { shapesEqual } from '../shape';
import { engineOf } from '../tape';
import type { Tensor } from '../tensor';

/** Overwrites `target`'s values with `source`'s (same shape); returns target. */
export function copy_(target: Tensor, source: Tensor): Tensor {
  engineOf('copy_', [target, source]);
  if (!shapesEqual(target.shape, source.shape)) {
    throw new TensorError('copy_', `target ${formatShape(target.shape)}, source ${formatShape(source.shape)}: shapes differ`);
  }
  target.engine.backend.assign(target.storage.id, source.storage.id);
  target.storage.version++;
  return target;
}

/**
 * One momentum-SGD step for one parameter, in place (PyTorch's formulation, dampening 0):
 * g = grad + weightDecay * param; velocity = momentum * velocity + g;
 * param -= lr * (nesterov ? g + momentum * velocity : velocity).
 * Hyper-parameters are plain numbers passed at run time (a schedule's new lr needs no recompilation).
 */
export function sgdUpdate_(param: Tensor, grad: Tensor, velocity: Tensor, p: SgdParams): void {
  engineOf('sgdUpdate_', [param, grad, velocity]);
  if (!shapesEqual(param.shape, grad.shape) || !shapesEqual(param.shape, velocity.shape)) {
    throw new TensorError(
      'sgdUpdate_',
      `param ${formatShape(param.shape)}, grad ${formatShape(grad.shape)}, velocity ${formatShape(velocity.shape)}: shapes differ`,
    );
  }
  for (const [k, v] of Object.entries({ lr: p.lr, momentum: p.momentum, weightDecay: p.weightDecay })) {
    if (!Number.isFinite(v)) throw new TensorError('sgdUpdate_', `${k} must be a finite number, got ${v}`);
  }
  if (param.storage === velocity.storage || param.storage === grad.storage) {
    throw new TensorError('sgdUpdate_', 'param, grad and velocity must not share storage');
  }
  param.engine.backend.sgdUpdate(param.storage.id, grad.storage.id, velocity.storage.id, param.size, p);
  param.storage.version++;
  velocity.storage.version++;
}
