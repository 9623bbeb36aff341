import { runReadmeExample } from '@skipinit/devtools/readme-example';
import { expect, it } from 'vitest';
import { probeMode } from '../src';

// What the comments say holds on a machine like this one: no 'gl' addon, no loadable 'webgpu'.
it('the README example is test/readme-example.ts, and prints what its comments say', async () => {
  const { printed, expected } = await runReadmeExample({ dir: import.meta.dirname, name: '@skipinit/backend-gpujs', load: () => import('./readme-example') });
  if (probeMode('headlessgl').ok) expect(printed[0]).toBe('headlessgl'); // a machine with a GL context picks it
  else expect(printed).toEqual(expected);
  expect(expected).toHaveLength(4);
});
