import { createHash as nodeHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHash } from './node-crypto';

describe("the page's sha256", () => {
  it('equals node:crypto on any bytes and text, across block boundaries', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.string(), (bytes, text) => {
        expect(createHash('sha256').update(bytes).update(text).digest('hex')).toBe(nodeHash('sha256').update(bytes).update(text).digest('hex'));
      }),
    );
    for (const n of [0, 55, 56, 63, 64, 65, 1000]) {
      const bytes = new Uint8Array(n).map((_, i) => i * 7);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(nodeHash('sha256').update(bytes).digest('hex'));
    }
  });

  it('refuses other algorithms, saying so', () => {
    expect(() => createHash('md5')).toThrow(/sha256 only/);
  });
});
