// Runs in its own module context: no backend has been set here.
import { describe, expect, it } from 'vitest';
import { ones } from './creation';
import { currentEngine } from './context';

describe('without a backend', () => {
  it('creation says how to set one (registration is an explicit call, never an import side effect)', () => {
    expect(currentEngine()).toBeNull();
    expect(() => ones([2])).toThrow('no tensor backend set: call setBackend(backend) first');
  });
});
