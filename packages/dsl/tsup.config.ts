import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // chevrotain 11 is ESM spread over hundreds of small modules (its own and lodash-es): importing it took
  // ~0.3-0.5 s of every `skipinit` command's start. Bundled into this package's dist it loads in one file.
  noExternal: ['chevrotain', /^@chevrotain\//, 'lodash-es'],
});
