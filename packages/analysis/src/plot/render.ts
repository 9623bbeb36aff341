// Rendering Vega-Lite specs headless: vega-lite compiles the spec to Vega, a Vega View with no renderer
// draws it to SVG text, and resvg (a Rust SVG renderer, no browser, no canvas) rasterises the SVG to PNG.
// All three load on first use: together they are about 0.4 s of start-up that a command drawing no plot
// (skipinit --help, train) should not pay.
import { createRequire } from 'node:module';
import type { Resvg as ResvgClass } from '@resvg/resvg-js';
import type { TopLevelSpec } from 'vega-lite';

const nodeRequire = createRequire(import.meta.url);

/** The SVG of a Vega-Lite spec. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [{ parse, View }, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const vega = compile(spec).spec;
  const view = new View(parse(vega), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** A PNG of an SVG, at `scale` times its size (default 2, for sharp text). */
export function svgToPng(svg: string, scale = 2): Uint8Array {
  const { Resvg } = nodeRequire('@resvg/resvg-js') as { Resvg: typeof ResvgClass };
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}

/** Both renderings of a spec. */
export async function renderPlot(spec: TopLevelSpec, scale = 2): Promise<{ svg: string; png: Uint8Array }> {
  const svg = await renderSvg(spec);
  return { svg, png: svgToPng(svg, scale) };
}
