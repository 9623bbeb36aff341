import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { expectedOutput, runReadmeExample } from './readme-example';

const EXAMPLE = "import { two } from '../src';\n\nconsole.log(two + 1, [two]); // 3 [ 2 ]\nconsole.log(`${two}\\n${two * 2}`);\n// 2\n// 4\n";
const scratch = mkdtempSync(join(tmpdir(), 'readme-example-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let n = 0;
/** A package folder with a README and an example; returns the options runReadmeExample takes. */
function fixture(readmeBlock: string, example = EXAMPLE) {
  const pkg = join(scratch, `pkg${n++}`);
  mkdirSync(join(pkg, 'src'), { recursive: true });
  mkdirSync(join(pkg, 'test'));
  writeFileSync(join(pkg, 'src', 'index.ts'), 'export const two = 2;\n');
  writeFileSync(join(pkg, 'test', 'readme-example.ts'), example);
  writeFileSync(join(pkg, 'README.md'), `# pkg\n\n\`\`\`ts\n${readmeBlock}\`\`\`\n`);
  const file = pathToFileURL(join(pkg, 'test', 'readme-example.ts')).href;
  return { dir: join(pkg, 'test'), name: '@scope/pkg', load: () => import(/* @vite-ignore */ file) };
}

describe('expectedOutput', () => {
  it('reads a trailing comment, or the comment lines below a console.log line without one', () => {
    expect(expectedOutput(EXAMPLE)).toEqual(['3 [ 2 ]', '2\n4']);
  });
  it('leaves indented console.log calls to the package test', () => {
    expect(expectedOutput('for (const x of [1]) {\n  console.log(x); // 1\n}\n')).toEqual([]);
  });
});

describe('runReadmeExample', () => {
  it('runs the example and returns what it printed (as console.log prints it) beside what it says', async () => {
    const run = await runReadmeExample(fixture(EXAMPLE.replace("'../src'", "'@scope/pkg'")));
    expect(run).toEqual({ printed: ['3 [ 2 ]', '2\n4'], expected: ['3 [ 2 ]', '2\n4'] });
  });
  it('fails when the README no longer shows the example file', async () => {
    const drifted = EXAMPLE.replace("'../src'", "'@scope/pkg'").replace('two + 1', 'two + 2');
    await expect(runReadmeExample(fixture(drifted))).rejects.toThrow(/README.md's first ts block/);
  });
  it('fails when the example does not import the package', async () => {
    const example = 'console.log(1); // 1\n';
    await expect(runReadmeExample(fixture(example, example))).rejects.toThrow(/imports the package/);
  });
  it("shows a comment that no longer says what the example prints (testReadmeExample's comparison)", async () => {
    const example = EXAMPLE.replace('// 3 [ 2 ]', '// 4 [ 2 ]');
    const run = await runReadmeExample(fixture(example.replace("'../src'", "'@scope/pkg'"), example));
    expect(run.printed).not.toEqual(run.expected);
  });
});
