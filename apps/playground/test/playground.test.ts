// Issue 14's browser test: the built playground in headless Chromium (Debian's, through the workspace's one
// launcher), served cross-origin isolated. It types a spec with an error and finds the diagnostic on its
// line, types a 1000-block SkipInit spec and waits for its plot, trains 20 steps and sees the loss fall.
// Screenshots go to apps/playground/screenshots/ (gitignored).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, watchPage } from '@skipinit/devtools/chromium';
import { serveStatic } from '@skipinit/devtools/static-server';
import { decodeSafetensors } from '@skipinit/trainer';
import type { StaticServer } from '@skipinit/devtools/static-server';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const APP = join(dirname(fileURLToPath(import.meta.url)), '..');
const SHOTS = join(APP, 'screenshots');

const BROKEN = `model broken {
  input 1x28x28
  flatten
  dense 32
  resblok x 4, kind=mlp, width=32, init=skipinit
  head 10
}
`;
const DEEP = `let depth = 1000
model deep {
  input 1x28x28
  flatten
  dense 128
  resblock x depth, kind=mlp, width=128, norm=none, init=skipinit
  relu
  head 10
}
`;
const SMALL = `model small {
  input 1x28x28
  flatten
  dense 64
  resblock x 4, kind=mlp, width=64, norm=none, init=skipinit
  relu
  head 10
}

train {
  data mnist, batch=64
  sgd lr=0.05, momentum=0.9
  steps 20, eval_every=20, seed=0
}
`;

let dir = '';
let server: StaticServer | null = null;
let browser: Browser | null = null;
let page: Page;

/** Replaces the editor's text as a user pasting it would (CodeMirror sees ordinary input). */
async function typeSpec(text: string): Promise<void> {
  await page.click('.cm-content');
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
}

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

beforeAll(async () => {
  execFileSync(process.execPath, [join(APP, 'scripts/mnist-subset.mjs')], { stdio: 'ignore' });
  dir = mkdtempSync(join(tmpdir(), 'skipinit-playground-'));
  await build({ root: APP, configFile: join(APP, 'vite.config.ts'), logLevel: 'warn', build: { outDir: dir, emptyOutDir: true } });
  mkdirSync(SHOTS, { recursive: true });
  server = await serveStatic(dir);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  watchPage(page);
  await page.goto(server.url);
  await page.waitForSelector('#engine-badge[data-mode]', { timeout: 60_000 });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('the playground in headless Chromium', () => {
  it('opens with the default spec: the engine mode, the summary and the signal plot', async () => {
    const mode = await page.getAttribute('#engine-badge', 'data-mode');
    console.info(`playground engine: ${await page.textContent('#engine-badge')} | ${await page.getAttribute('#engine-badge', 'title')}`);
    expect(['webgpu', 'webasm', 'cpu']).toContain(mode);
    await page.waitForSelector('#summary table tr.total');
    await page.waitForSelector('#signal-plot svg', { timeout: 60_000 });
    await shot('1-default');
  }, 90_000);

  it('marks a misspelt statement on its line, with the suggestion', async () => {
    await typeSpec(BROKEN);
    const item = await page.waitForSelector('#diagnostics li.error:has-text("resblok")');
    expect(await item.getAttribute('data-line')).toBe('5');
    expect(await item.textContent()).toContain('resblock');
    const mark = await page.waitForSelector('.cm-lintRange-error');
    expect(await mark.textContent()).toBe('resblok');
    await page.hover('.cm-lintRange-error');
    await page.waitForSelector('.cm-tooltip-lint');
    await shot('2-diagnostic');
  }, 30_000);

  it('plots signal propagation of a 1000-block SkipInit network', async () => {
    const before = await page.getAttribute('#signal-plot', 'data-analysis-id');
    const t0 = Date.now();
    await typeSpec(DEEP);
    await page.waitForFunction((b) => {
      const id = document.getElementById('signal-plot')!.dataset.analysisId;
      return id !== undefined && id !== b && document.querySelector('#signal-plot svg') !== null;
    }, before, { timeout: 120_000 });
    console.info(`playground: 1000-block spec typed -> plot shown in ${((Date.now() - t0) / 1000).toFixed(1)} s (${await page.textContent('#signal-status')})`);
    expect(await page.textContent('#summary tr.total')).toContain('1000 residual blocks');
    expect(await page.textContent('#signal-table')).toContain('skipinit');
    await shot('3-deep-signal');
  }, 150_000);

  it('trains 20 steps and the loss falls', async () => {
    await typeSpec(SMALL);
    await page.waitForFunction(() => document.getElementById('summary-note')!.textContent!.startsWith('small'));
    await page.waitForSelector('#train:not([disabled])');
    await page.click('#train');
    await page.waitForFunction(() => /completed|finished|diverged|interrupted|failed/.test(document.getElementById('train-status')!.textContent ?? ''), null, { timeout: 120_000 });
    const rows = await page.$$eval('#train-numbers tbody tr', (trs) => trs.map((tr) => Array.from(tr.children, (td) => Number(td.textContent))));
    const status = await page.textContent('#train-status');
    console.info(`playground training: ${status}`);
    expect(rows.length).toBe(20);
    const mean = (r: number[][]) => r.reduce((a, x) => a + x[1]!, 0) / r.length;
    expect(mean(rows.slice(-5))).toBeLessThan(mean(rows.slice(0, 5)));
    // the one evaluation (step 20) appears as a point on the accuracy panel (the curves redraw within 0.5 s)
    await page.waitForSelector('#train-plot svg [aria-roledescription="point"][aria-label*="evaluation accuracy: "]', { timeout: 10_000 });
    await shot('4-trained');

    // the download: the weights as safetensors, in the CLI checkpoints' layout
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    expect(download.suggestedFilename()).toBe('small-step20.safetensors');
    const file = join(dir, download.suggestedFilename());
    await download.saveAs(file);
    const weights = decodeSafetensors(new Uint8Array(readFileSync(file)), file);
    expect(weights.metadata).toMatchObject({ format: 'skipinit.weights', step: '20' });
    expect(JSON.parse(weights.metadata.graph!).name).toBe('small');
    const tensors = [...weights.tensors.values()];
    expect(tensors.length).toBeGreaterThan(4);
    expect(tensors.every((t) => t.dtype === 'F32' && (t.data as Float32Array).every(Number.isFinite))).toBe(true);
    expect(tensors.some((t) => t.shape.join('x') === '64x784' || t.shape.join('x') === '784x64')).toBe(true); // the first dense
  }, 150_000);
});
