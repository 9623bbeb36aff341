// Debian's Chromium, headless, driven by playwright-core (executablePath: no browser download): the one
// launcher of the workspace's browser tests (packages/integration's engine test, the playground's test).
// WebGPU on SwiftShader where this Chromium gives an adapter, WebGL on ANGLE's SwiftShader, a fresh
// profile per launch, and nothing fetched from outside (no component updates, sync or field trials).
import { chromium } from 'playwright-core';
import { existsSync } from 'node:fs';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--use-webgpu-adapter=swiftshader',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-field-trial-config',
  '--no-first-run',
];

/** Launches headless Chromium; the error says where it looked when it is not installed. */
export async function launchChromium(options = {}) {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`no Chromium at ${CHROMIUM_PATH}: apt-get install chromium, or set CHROMIUM_PATH`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS, ...(options.args ?? [])] });
}

/** Forwards a page's console errors and uncaught exceptions to `log`, so that a failing test shows them. */
export function watchPage(page, log = (line) => console.error(line)) {
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') log(`[page ${m.type()}] ${m.text()}`);
  });
  page.on('pageerror', (e) => log(`[page exception] ${e.message}`));
}
