import { describe, expect, it } from 'vitest';
import { fans } from './fans';
import { calculateGain, NONLINEARITIES } from './gain';

describe('fans (torch convention)', () => {
  it('dense [units, in]: fanIn = in, fanOut = units', () => {
    expect(fans([10, 784])).toEqual({ fanIn: 784, fanOut: 10 });
  });
  it('conv [out, in, kh, kw]: fanIn = in*kh*kw, fanOut = out*kh*kw', () => {
    expect(fans([64, 16, 3, 3])).toEqual({ fanIn: 144, fanOut: 576 });
    expect(fans([32, 16, 1, 1])).toEqual({ fanIn: 16, fanOut: 32 });
    expect(fans([8, 3, 5, 3])).toEqual({ fanIn: 45, fanOut: 120 });
  });
  it('refuses vectors and bad shapes, saying why', () => {
    expect(() => fans([10])).toThrow(/fans: shape \[10\]: fan in and fan out need a weight of rank >= 2/);
    expect(() => fans([3, 0])).toThrow(/fans: shape \[3,0\] must be a list of positive integers/);
  });
});

describe('calculateGain (torch.nn.init.calculate_gain)', () => {
  it('gives torch values', () => {
    expect(calculateGain('linear')).toBe(1);
    expect(calculateGain('conv2d')).toBe(1);
    expect(calculateGain('sigmoid')).toBe(1);
    expect(calculateGain('tanh')).toBeCloseTo(5 / 3, 15);
    expect(calculateGain('relu')).toBeCloseTo(1.4142135623730951, 15);
    expect(calculateGain('leaky_relu')).toBeCloseTo(Math.sqrt(2 / (1 + 0.0001)), 15);
    expect(calculateGain('leaky_relu', 0.2)).toBeCloseTo(Math.sqrt(2 / 1.04), 15);
    expect(calculateGain('selu')).toBe(0.75);
    for (const n of NONLINEARITIES) expect(calculateGain(n)).toBeGreaterThan(0);
  });
  it('names the unsupported nonlinearity (torch has no gelu gain)', () => {
    expect(() => calculateGain('gelu' as never)).toThrow(/calculateGain: unsupported nonlinearity "gelu"/);
  });
});
