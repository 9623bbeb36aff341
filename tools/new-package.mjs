#!/usr/bin/env node
// Creates the skeleton every package shares (the same package skeleton everywhere: exports with the @skipinit/source condition, tsup, a README).
// Usage: node tools/new-package.mjs <name> "<one-line description>" [dep ...]
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [name, description = '', ...deps] = process.argv.slice(2);
if (!name || !/^[a-z][a-z0-9-]*$/.test(name)) {
  console.error('usage: node tools/new-package.mjs <kebab-name> "<description>" [@skipinit/dep ...]');
  process.exit(64);
}
const root = join('packages', name);
if (existsSync(join(root, 'package.json'))) {
  console.error(`${root}/package.json exists; not overwriting`);
  process.exit(73);
}
mkdirSync(join(root, 'src'), { recursive: true });
const pkg = {
  name: `@skipinit/${name}`,
  version: '0.1.0',
  description,
  license: 'MIT',
  author: 'the skipinit authors',
  repository: { type: 'git', url: 'git+https://github.com/skipinit/skipinit.git', directory: `packages/${name}` },
  homepage: `https://github.com/skipinit/skipinit/tree/main/packages/${name}#readme`,
  bugs: { url: 'https://github.com/skipinit/skipinit/issues' },
  type: 'module',
  sideEffects: false,
  exports: {
    '.': {
      '@skipinit/source': './src/index.ts',
      types: './dist/index.d.ts',
      import: './dist/index.js',
    },
    './package.json': './package.json',
  },
  main: './dist/index.js',
  types: './dist/index.d.ts',
  files: ['dist', 'src', '!src/**/*.test.ts', 'README.md', 'LICENSE'],
  engines: { node: '>=20.11' },
  publishConfig: { access: 'public' },
  scripts: {
    build: 'tsup',
    typecheck: 'tsc --noEmit -p tsconfig.json',
  },
  dependencies: Object.fromEntries(deps.map((d) => [d, d.startsWith('@skipinit/') ? '0.1.0' : '*'])),
  nx: { tags: [`scope:${name}`] },
};
writeFileSync(join(root, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
copyFileSync('LICENSE', join(root, 'LICENSE'));
writeFileSync(
  join(root, 'tsconfig.json'),
  JSON.stringify({ extends: '../../tsconfig.base.json', include: ['src', 'test'] }, null, 2) + '\n',
);
writeFileSync(
  join(root, 'tsup.config.ts'),
  `import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
`,
);
if (!existsSync(join(root, 'src/index.ts'))) {
  writeFileSync(join(root, 'src/index.ts'), `// @skipinit/${name}: ${description}\nexport {};\n`);
}
if (!existsSync(join(root, 'README.md'))) {
  writeFileSync(join(root, 'README.md'), `# @skipinit/${name}\n\n${description}\n`);
}
console.log(`created ${root}`);
