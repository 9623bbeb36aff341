// What a report produces: named files as data (the CLI or a script writes them where it wants).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { renderPlot } from '../plot/render';

export interface OutputFile {
  /** A path relative to the output directory, e.g. 'variance.svg'. */
  readonly name: string;
  readonly content: string | Uint8Array;
}

/** The Vega-Lite spec as JSON, its SVG and its PNG, named `<stem>.vl.json`, `<stem>.svg`, `<stem>.png`. */
export async function plotFiles(stem: string, spec: TopLevelSpec): Promise<OutputFile[]> {
  const { svg, png } = await renderPlot(spec);
  return [
    { name: `${stem}.vl.json`, content: `${JSON.stringify(spec, null, 2)}\n` },
    { name: `${stem}.svg`, content: svg },
    { name: `${stem}.png`, content: png },
  ];
}

/** Writes `files` under `dir` (made as needed); returns the paths written. */
export function writeOutputFiles(dir: string, files: readonly OutputFile[]): string[] {
  return files.map((f) => {
    const path = join(dir, f.name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.content);
    return path;
  });
}
