// The README's example runs as written and prints what its comments say.

import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { expect, it } from 'vitest';
import * as tensorPackage from '../src/index';

it('README example runs and prints what it claims', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const code = /```ts\n([\s\S]*?)```/.exec(readme)![1];
  const expected = code
    .split('\n')
    .filter((l) => l.startsWith('console.log('))
    .map((l) => l.split('// ')[1].trim());
  const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const printed: string[] = [];
  const fakeConsole = { log: (...args: unknown[]) => printed.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')) };
  const require = (name: string) => {
    if (name !== '@skipinit/tensor') throw new Error(`README imports ${name}`);
    return tensorPackage;
  };
  new Function('require', 'exports', 'console', js)(require, {}, fakeConsole);
  expect(printed).toEqual(expected);
});
