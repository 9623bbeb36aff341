// Vega-Lite specs (made by @skipinit/analysis) drawn in the page: compiled to Vega, rendered as SVG.
import { parse, View } from 'vega';
import { compile } from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

export class PlotView {
  private view: View | null = null;

  constructor(private readonly element: HTMLElement) {}

  async show(spec: object): Promise<void> {
    const vega = compile(spec as TopLevelSpec).spec;
    const view = new View(parse(vega), { renderer: 'svg', container: this.element, hover: true });
    await view.runAsync();
    this.view?.finalize();
    this.view = view;
  }

  clear(): void {
    this.view?.finalize();
    this.view = null;
    this.element.replaceChildren();
  }
}
