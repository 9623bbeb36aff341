// What every plot shares: the font and the Vega-Lite config (apart from the renderer, so that the specs can
// be built where resvg cannot load, e.g. in a browser).

/** The font every plot asks for first (DejaVu ships with most Linux systems); then any sans-serif. */
export const PLOT_FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif';

/** The Vega-Lite config our plots share: fonts, sizes, a white background (PNGs are opaque). */
export const PLOT_CONFIG = {
  font: PLOT_FONT,
  background: 'white',
  view: { stroke: '#ddd' },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#eee' },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 14, anchor: 'start' as const, subtitleFontSize: 11, subtitleColor: '#555' },
  header: { labelFontSize: 12, titleFontSize: 12 },
};
