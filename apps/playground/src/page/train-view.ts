// The training panel: train / pause-continue / stop / download, the live numbers (step, loss, accuracy,
// images/s) and the curves (the analysis package's training-curves plot), redrawn at most twice a second.
import { trainingCurvesSpec } from '@skipinit/analysis';
import type { MetricRecord } from '@skipinit/analysis';
import type { EngineReply } from '../protocol';
import { PlotView } from './plot-view';

type Elements = { train: HTMLButtonElement; pause: HTMLButtonElement; stop: HTMLButtonElement; download: HTMLButtonElement; stats: HTMLElement; plot: HTMLElement; status: HTMLElement };

export class TrainView {
  private readonly plot: PlotView;
  private records: MetricRecord[] = [];
  private totalSteps = 0;
  private name = 'model';
  private drawTimer: ReturnType<typeof setTimeout> | null = null;
  private testAccuracy: number | null = null;

  /** The numbers behind the curves, one row per step (copyable; the browser test reads them). */
  private readonly numbers = document.createElement('tbody');

  constructor(readonly el: Elements) {
    this.plot = new PlotView(el.plot);
    const details = document.createElement('details');
    details.innerHTML = '<summary>the numbers</summary><div class="table-wrap"><table id="train-numbers"><thead><tr><th>step</th><th>loss</th><th>batch accuracy</th><th>images/s</th></tr></thead></table></div>';
    details.querySelector('table')!.append(this.numbers);
    el.plot.after(details);
  }

  private row(cells: (string | number)[]): void {
    const tr = document.createElement('tr');
    for (const c of cells) {
      const td = document.createElement('td');
      td.textContent = String(c);
      tr.append(td);
    }
    this.numbers.append(tr);
  }

  begin(name: string): void {
    this.name = name;
    this.records = [];
    this.testAccuracy = null;
    this.plot.clear();
    this.numbers.replaceChildren();
    this.el.train.disabled = true;
    this.el.pause.disabled = false;
    this.el.pause.textContent = 'pause';
    this.el.stop.disabled = false;
    this.el.download.disabled = true;
    this.status('loading the MNIST subset and compiling kernels…');
  }

  status(text: string, error = false): void {
    this.el.status.textContent = text;
    this.el.status.className = error ? 'status error' : 'status';
  }

  private stats(values: Record<string, string>): void {
    this.el.stats.replaceChildren(
      ...Object.entries(values).flatMap(([k, v]) => {
        const dt = document.createElement('dt');
        dt.textContent = k;
        const dd = document.createElement('dd');
        dd.textContent = v;
        dd.dataset.stat = k;
        return [dt, dd];
      }),
    );
  }

  private scheduleDraw(): void {
    if (this.drawTimer !== null) return;
    this.drawTimer = setTimeout(() => {
      this.drawTimer = null;
      void this.plot.show(trainingCurvesSpec([{ label: this.name, metrics: this.records }], { title: `${this.name}: training loss and test accuracy` }));
    }, 500);
  }

  /** One reply of the training worker; true when the run has ended. */
  update(m: EngineReply): boolean {
    switch (m.type) {
      case 'train-begin':
        this.totalSteps = m.totalSteps;
        this.status(`training: ${m.totalSteps} steps on ${m.trainExamples} images, ${m.parameters.toLocaleString('en')} parameters`);
        return false;
      case 'train-step': {
        const p = m.point;
        this.records.push({ type: 'step', step: p.step, loss: p.loss });
        this.row([p.step, p.loss.toPrecision(6), p.accuracy.toFixed(4), p.examplesPerSecond.toFixed(1)]);
        this.stats({
          step: `${p.step} / ${this.totalSteps}`,
          loss: p.loss.toFixed(4),
          'batch accuracy': `${(100 * p.accuracy).toFixed(1)}%`,
          'test accuracy': this.testAccuracy === null ? '–' : `${(100 * this.testAccuracy).toFixed(2)}%`,
          'images/s': p.examplesPerSecond.toFixed(1),
          elapsed: `${p.elapsedSeconds.toFixed(1)} s`,
        });
        this.scheduleDraw();
        return false;
      }
      case 'train-eval':
        this.records.push({ type: 'eval', step: m.point.step, accuracy: m.point.accuracy, split: m.point.split });
        if (m.point.split === 'test') {
          this.testAccuracy = m.point.accuracy;
          const cell = this.el.stats.querySelector<HTMLElement>('[data-stat="test accuracy"]');
          if (cell !== null) cell.textContent = `${(100 * m.point.accuracy).toFixed(2)}%`;
        }
        this.scheduleDraw();
        return false;
      case 'train-paused':
        this.el.pause.textContent = 'continue';
        this.el.download.disabled = false;
        this.status(`paused at step ${m.step}: continue, or download the weights so far`);
        return false;
      case 'train-continued':
        this.el.pause.textContent = 'pause';
        this.el.download.disabled = true;
        this.status(`training (continued from step ${m.step})`);
        return false;
      case 'train-end':
        this.end();
        this.status(`${m.status} after ${m.steps} steps at ${m.examplesPerSecond.toFixed(1)} images/s${m.testAccuracy === null ? '' : `; test accuracy ${(100 * m.testAccuracy).toFixed(2)}%`}${m.message ? `: ${m.message}` : ''}`);
        this.el.download.disabled = false;
        return true;
      default:
        return false;
    }
  }

  end(): void {
    this.el.train.disabled = false;
    this.el.pause.disabled = true;
    this.el.pause.textContent = 'pause';
    this.el.stop.disabled = true;
  }
}
