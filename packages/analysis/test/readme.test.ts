import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runReadmeExample } from '@skipinit/devtools/readme-example';
import { expect, it } from 'vitest';

// The example prints one line per scheme from a loop; the comment lines below the loop show those lines, each
// followed (after two or more spaces) by the theory's reading in parentheses.
it('the README example is test/readme-example.ts, and prints what its comments say', async () => {
  const { printed } = await runReadmeExample({ dir: import.meta.dirname, name: '@skipinit/analysis', load: () => import('./readme-example') });
  const shown = readFileSync(join(import.meta.dirname, 'readme-example.ts'), 'utf8')
    .split('\n')
    .filter((line) => /^\/\/ (plain|bn|skipinit|scaled) /.test(line))
    .map((line) => line.slice(3).replace(/\s{2,}\(.*\)$/, ''));
  expect(shown).toHaveLength(4);
  expect(printed.slice(0, 4)).toEqual(shown);
  expect(printed[4]).toContain('* y = x^2');
});
