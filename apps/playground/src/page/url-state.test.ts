import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PAGE_SCHEMES } from '../protocol';
import { decodeView, DEFAULT_SCHEMES, encodeView, engineOf } from './url-state';

describe('the view in the URL', () => {
  it('round-trips any spec text and scheme list', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.subarray([...PAGE_SCHEMES]), fc.constantFrom('webgpu', 'webasm', 'cpu', undefined), (spec, schemes, engine) => {
        const view = engine === undefined ? { spec, schemes } : { spec, schemes, engine };
        expect(decodeView(encodeView(view))).toEqual(view);
      }),
    );
  });

  it('keeps a spec with newlines, #, & and = readable back', () => {
    const spec = 'let depth = 1000 # blocks\nmodel m { input 784; head 10 }\n& = ?';
    expect(decodeView(encodeView({ spec, schemes: ['skipinit'] }))!.spec).toBe(spec);
  });

  it('drops unknown schemes, defaults missing ones, and has no view without a spec', () => {
    expect(decodeView('#schemes=plain,nope,plain&spec=x')).toEqual({ spec: 'x', schemes: ['plain'] });
    expect(decodeView('#spec=x')).toEqual({ spec: 'x', schemes: DEFAULT_SCHEMES });
    expect(decodeView('')).toBeNull();
    expect(decodeView('#schemes=bn')).toBeNull();
    expect(decodeView('#engine=quantum&spec=x')).toEqual({ spec: 'x', schemes: DEFAULT_SCHEMES });
    expect(engineOf('#engine=webasm&spec=x')).toBe('webasm');
    expect(engineOf('#engine=auto')).toBe('auto');
  });
});
