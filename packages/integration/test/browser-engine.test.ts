// Issue 12 point 5: the gpu.js engine in a real browser. A small page (engine-page.ts, bundled by esbuild
// for the browser from the packages' sources, gpu.js from its patched source, not minified) runs a
// training step of two small networks in headless Chromium: on 'auto' (webgpu where this Chromium gives
// an adapter, else webasm) and on webasm. Logits, loss and every gradient must match the float64
// reference backend run here in Node to 1e-4 relative per tensor, as the Node agreement tests (measured
// here: webgpu on SwiftShader 4.9e-7, webasm 1.8e-6 at worst).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, watchPage } from '@skipinit/devtools/chromium';
import { serveStatic } from '@skipinit/devtools/static-server';
import { Engine, ReferenceBackend } from '@skipinit/tensor';
import { build } from 'esbuild';
import type { Plugin } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModeRun } from './browser/engine-page';
import { engineStep, STEP_MODELS } from './browser/engine-step';

const HERE = dirname(fileURLToPath(import.meta.url));
const TOLERANCE = 1e-4;
/** Node-only modules gpu.js's source requires (headless-gl, its thread helpers): empty in a page. Our own
 * packages get no such help: a Node builtin they import fails the build (esbuild, platform browser). */
const GPUJS_NODE_ONLY = /^(gl|webgpu|worker_threads|os|fs)$/;

const pageModules: Plugin = {
  name: 'page-modules',
  setup(b) {
    const gpuJsSource = join(dirname(createRequire(import.meta.url).resolve('gpu.js/package.json')), 'src/browser.js');
    b.onResolve({ filter: /^gpu\.js$/ }, () => ({ path: gpuJsSource }));
    b.onResolve({ filter: GPUJS_NODE_ONLY }, (args) => (/[\\/]gpu\.js[\\/]/.test(args.importer) ? { path: args.path, namespace: 'empty' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

/** max |a - b| / max |b|. */
function relError(a: readonly number[], b: ArrayLike<number>): number {
  let d = 0;
  let s = 0;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i]! - b[i]!));
    s = Math.max(s, Math.abs(b[i]!));
  }
  return s === 0 ? d : d / s;
}

let dir = '';
let runs: ModeRun[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'skipinit-browser-engine-'));
  await build({
    entryPoints: [join(HERE, 'browser/engine-page.ts')],
    outfile: join(dir, 'page.js'),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    minify: false, // gpu.js parses its kernels' source
    conditions: ['@skipinit/source'],
    logLevel: 'warning',
    plugins: [pageModules],
  });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>engine</title><script type="module" src="page.js"></script>');
  const server = await serveStatic(dir);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    watchPage(page);
    await page.goto(server.url);
    const answer = (await page.evaluate(() => (globalThis as { engineResults?: Promise<unknown> }).engineResults)) as ModeRun[] | { error: string };
    if (!Array.isArray(answer)) throw new Error(`the page failed: ${answer.error}`);
    runs = answer;
  } finally {
    await browser.close();
    await server.close();
  }
}, 120_000);

afterAll(() => {
  if (dir !== '') rmSync(resolve(dir), { recursive: true, force: true });
});

describe('the gpu.js engine in headless Chromium against the float64 reference', () => {
  it("runs 'auto' and webasm, and says which mode ran", () => {
    const modes = runs.map((r) => r.mode);
    console.info(`browser engine: ${runs.map((r) => `asked ${r.asked} -> ${r.mode} (${Math.round(r.millis)} ms): ${r.description}`).join('\n  ')}`);
    expect(modes).toContain('webasm');
    expect(['webgpu', 'webasm']).toContain(runs[0]!.mode);
  });

  for (const name of Object.keys(STEP_MODELS)) {
    it(`${name}: logits, loss and gradients agree in every mode that ran`, async () => {
      const engine = new Engine(new ReferenceBackend());
      const ref = await engineStep(engine, name);
      engine.destroy();
      for (const run of runs) {
        const got = run.results[name]!;
        const errors: Record<string, number> = { logits: relError(got.logits, ref.logits), loss: relError([got.loss], [ref.loss]) };
        for (const [p, g] of Object.entries(ref.grads)) errors[`grad ${p}`] = relError(got.grads[p]!, g);
        const worst = Math.max(...Object.values(errors));
        console.info(`${run.mode} ${name}: worst relative error ${worst.toExponential(2)} (tolerance ${TOLERANCE})`);
        for (const [what, e] of Object.entries(errors)) expect(e, `${run.mode}: ${what}`).toBeLessThan(TOLERANCE);
      }
    });
  }
});
