import type { Browser, Page } from 'playwright-core';

/** Where Chromium is looked for (CHROMIUM_PATH, else Debian's /usr/bin/chromium). */
export declare const CHROMIUM_PATH: string;
/** The flags every launch passes (WebGPU and WebGL on SwiftShader, nothing fetched from outside). */
export declare const CHROMIUM_ARGS: readonly string[];
/** Launches headless Chromium with CHROMIUM_ARGS and `args`. */
export declare function launchChromium(options?: { args?: readonly string[] }): Promise<Browser>;
/** Forwards a page's console errors and uncaught exceptions to `log` (default console.error). */
export declare function watchPage(page: Page, log?: (line: string) => void): void;
