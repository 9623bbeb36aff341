// The recommended gain for a nonlinearity, exactly as torch.nn.init.calculate_gain:
//
//   linear, conv1d/2d/3d, conv_transpose1d/2d/3d, sigmoid, identity   1
//   tanh                                                               5 / 3
//   relu                                                               sqrt(2)
//   leaky_relu (negative slope a, default 0.01)                         sqrt(2 / (1 + a^2))
//   selu                                                               3 / 4
//
// torch defines no gain for gelu; neither does this function (it says so).

import { InitError } from './errors';

export const NONLINEARITIES = [
  'linear',
  'conv1d',
  'conv2d',
  'conv3d',
  'conv_transpose1d',
  'conv_transpose2d',
  'conv_transpose3d',
  'sigmoid',
  'identity',
  'tanh',
  'relu',
  'leaky_relu',
  'selu',
] as const;
export type Nonlinearity = (typeof NONLINEARITIES)[number];

/** torch.nn.init.calculate_gain(nonlinearity, param): `param` is leaky_relu's negative slope. */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear':
    case 'conv1d':
    case 'conv2d':
    case 'conv3d':
    case 'conv_transpose1d':
    case 'conv_transpose2d':
    case 'conv_transpose3d':
    case 'sigmoid':
    case 'identity':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      if (!Number.isFinite(slope)) throw new InitError('calculateGain', `leaky_relu: negative slope ${slope} is not a finite number`);
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new InitError(
        'calculateGain',
        `unsupported nonlinearity ${JSON.stringify(nonlinearity)}; expected one of ${NONLINEARITIES.join(', ')}`,
      );
  }
}
