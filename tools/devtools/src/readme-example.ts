// The check every package's README example goes through: the README's example runs as a test.
//
// A package keeps its README's example in test/readme-example.ts, typechecked with the package. The README's
// first ```ts block must be that file verbatim, except that the file imports '../src' (or '../src/sub') where the README imports
// the package by name (a package may not import itself by name). Running the file must print what its
// comments say:
//
//   console.log(a, b); // what it prints, as console.log prints it (util.format)
//   console.log(table);
//   // a line it prints
//   // the next line it prints
//
// A `console.log(` line at the start of a line, with no comment of its own, prints the `// ` lines right below
// it. Other console.log calls (indented, in a loop) print lines that the package's test checks itself.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { format } from 'node:util';
import { describe, expect, it, vi } from 'vitest';

export interface ReadmeExample {
  /** the test's folder (`import.meta.dirname`); the package is its parent */
  dir: string;
  /** the package name the README imports, e.g. '@skipinit/data' */
  name: string;
  /** runs the example: `() => import('./readme-example')`, so that vitest resolves and transforms it */
  load: () => Promise<unknown>;
}

export interface ReadmeExampleRun {
  /** what each console.log call printed */
  printed: string[];
  /** what the example's comments say its top-level console.log lines print */
  expected: string[];
}

/** What the example's comments say it prints, in order. */
export function expectedOutput(example: string): string[] {
  const lines = example.split('\n');
  const expected: string[] = [];
  lines.forEach((line, i) => {
    if (!line.startsWith('console.log(')) return;
    const comment = line.lastIndexOf(' // ');
    if (comment >= 0) return void expected.push(line.slice(comment + 4));
    const below: string[] = [];
    for (let j = i + 1; j < lines.length && lines[j].startsWith('//'); j++) below.push(lines[j].replace(/^\/\/ ?/, ''));
    if (below.length > 0) expected.push(below.join('\n'));
  });
  return expected;
}

/** Checks that the README shows the example file, runs it, and returns what it printed and what it says it prints. */
export async function runReadmeExample({ dir, name, load }: ReadmeExample): Promise<ReadmeExampleRun> {
  const pkg = dirname(dir);
  const readme = readFileSync(join(pkg, 'README.md'), 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  const example = readFileSync(join(dir, 'readme-example.ts'), 'utf8');
  expect(example, "the example imports the package as '../src'").toContain("from '../src';");
  // '../src/testing' is the package's subpath '<name>/testing'
  const asReadme = example.replace(/from '\.\.\/src((?:\/[\w-]+)*)';/g, (_, sub: string) => `from '${name}${sub}';`);
  expect(block, `README.md's first ts block is ${join(dir, 'readme-example.ts')}`).toBe(asReadme);
  const printed: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(format(...args)));
  try {
    await load();
  } finally {
    spy.mockRestore();
  }
  return { printed, expected: expectedOutput(example) };
}

/** The usual test: the README shows the example, and it prints exactly what its `lines` comments say. */
export function testReadmeExample(example: ReadmeExample & { lines: number }): void {
  describe('README example', () => {
    it('is the file test/readme-example.ts, and prints what its comments say', async () => {
      const { printed, expected } = await runReadmeExample(example);
      expect(printed).toEqual(expected);
      expect(expected).toHaveLength(example.lines);
    });
  });
}
