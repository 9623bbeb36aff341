// The signal-propagation panel: the schemes to compare (checkboxes), the analysis package's plot of the
// variance against depth with the theory overlaid (P1-P3), its summary table and the four panels.
import type { EngineReply, PageScheme } from '../protocol';
import { PAGE_SCHEMES } from '../protocol';
import { PlotView } from './plot-view';
import { renderTable } from './summary-view';

type Analysed = Extract<EngineReply, { type: 'analysed' }>;

const LABELS: Record<PageScheme, string> = {
  spec: 'as written',
  plain: 'plain (x + f(x))',
  bn: 'batch norm',
  skipinit: 'SkipInit (alpha = 0)',
  scaled: 'scaled (1/sqrt(d))',
  fixup: 'Fixup',
};

export class SignalView {
  private readonly plot: PlotView;
  private readonly panels: PlotView;
  private chosen: Set<PageScheme>;

  constructor(
    private readonly el: { schemes: HTMLElement; plot: HTMLElement; table: HTMLElement; status: HTMLElement },
    schemes: readonly PageScheme[],
    private readonly onChange: (schemes: readonly PageScheme[]) => void,
  ) {
    this.chosen = new Set(schemes);
    this.plot = new PlotView(el.plot);
    const details = document.createElement('details');
    details.innerHTML = '<summary>the four panels (variance, ratio x sqrt(l), Var/beta^2, per-channel mean)</summary>';
    const panels = document.createElement('div');
    panels.className = 'plot';
    details.append(panels);
    el.table.after(details);
    this.panels = new PlotView(panels);
    for (const s of PAGE_SCHEMES) el.schemes.append(this.checkbox(s));
  }

  private checkbox(s: PageScheme): HTMLElement {
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.value = s;
    box.checked = this.chosen.has(s);
    box.addEventListener('change', () => {
      if (box.checked) this.chosen.add(s);
      else this.chosen.delete(s);
      this.onChange(this.schemes);
    });
    label.append(box, ` ${LABELS[s]}`);
    return label;
  }

  get schemes(): PageScheme[] {
    return PAGE_SCHEMES.filter((s) => this.chosen.has(s));
  }

  status(text: string, error = false): void {
    this.el.status.textContent = text;
    this.el.status.className = error ? 'error' : '';
  }

  async show(r: Analysed): Promise<void> {
    await this.plot.show(r.variance);
    await this.panels.show(r.panels);
    renderTable(this.el.table, r.table.columns, r.table.rows);
    this.el.plot.dataset.analysisId = String(r.id);
  }
}
