import type { BuildOptions } from 'esbuild';

/** The workspace root. */
export declare const WORKSPACE_ROOT: string;
/** A path under the workspace's node_modules/.cache. */
export declare function cachePath(...parts: string[]): string;
export interface BundleOptions extends Omit<BuildOptions, 'entryPoints' | 'outfile' | 'plugins'> {
  /** the TypeScript (or JavaScript) file to bundle */
  entry: string;
  /** where the ES module goes (written atomically) */
  outfile: string;
  /** bare imports beyond `@skipinit/*` to bundle rather than leave to node_modules */
  bundled?: (path: string, importer: string) => boolean;
}
/** Bundles `entry` and the workspace packages it imports (from source) into `outfile`; returns `outfile`. */
export declare function bundleFromSource(options: BundleOptions): Promise<string>;
