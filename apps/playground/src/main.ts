// The page: wires the editor, the summary, the signal-propagation panel and the training panel to the
// workers. It computes nothing itself: the compile worker answers diagnostics and the summary, one
// engine worker the analysis (restarted when a newer spec makes its work stale), another the training.
import { DEFAULT_SPEC } from './default-spec';
import { SpecEditor } from './page/editor';
import { diagnosticLine } from './page/lint';
import { SignalView } from './page/signal-view';
import { renderSummary } from './page/summary-view';
import { TrainView } from './page/train-view';
import { decodeView, DEFAULT_SCHEMES, encodeView, engineOf } from './page/url-state';
import { CompileClient, EngineClient } from './page/workers';
import { PAGE_FILE } from './protocol';
import type { CompileReply, EngineInfo, EngineReply, PageMode, PageScheme } from './protocol';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const initial = decodeView(location.hash);
const mode: PageMode = engineOf(location.hash);
let schemes: readonly PageScheme[] = initial?.schemes ?? DEFAULT_SCHEMES;

function showEngine(info: EngineInfo): void {
  const badge = $('engine-badge');
  const threads = info.mode === 'webasm' ? `, ${info.threads} thread${info.threads === 1 ? '' : 's'}` : '';
  const passed = info.skipped.length > 0 ? ` (${info.skipped.map((s) => `${s.mode} passed over`).join(', ')})` : '';
  badge.textContent = `${info.mode}${threads}${info.adapter ? ` on ${info.adapter}` : ''}${passed}`;
  badge.title = [info.description, ...info.skipped.map((s) => `${s.mode}: ${s.reason}`), info.crossOriginIsolated ? 'cross-origin isolated' : 'not cross-origin isolated'].join('\n');
  badge.className = `badge ${info.mode}`;
  badge.dataset.mode = info.mode;
}

const compiler = new CompileClient();
const editor = new SpecEditor($('editor'), initial?.spec ?? DEFAULT_SPEC, () => scheduleCompile());
const signal = new SignalView({ schemes: $('schemes'), plot: $('signal-plot'), table: $('signal-table'), status: $('signal-status') }, schemes, (s) => {
  schemes = s;
  updateUrl();
  scheduleAnalysis();
});
const trainView = new TrainView({ train: $('train'), pause: $('pause'), stop: $('stop'), download: $('download'), stats: $('train-stats'), plot: $('train-plot'), status: $('train-status') });

function updateUrl(): void {
  history.replaceState(null, '', encodeView({ spec: editor.text, schemes, engine: mode }));
}

// ---- compile as you type ----
let compileTimer: ReturnType<typeof setTimeout> | null = null;
let lastGood: CompileReply | null = null;

function scheduleCompile(): void {
  if (compileTimer !== null) clearTimeout(compileTimer);
  compileTimer = setTimeout(() => void compileNow(), 120);
}

function showDiagnostics(reply: CompileReply): void {
  const list = $('diagnostics');
  if (reply.diagnostics.length === 0) {
    const ok = document.createElement('li');
    ok.className = 'ok';
    ok.textContent = `no errors (compiled in ${reply.millis.toFixed(0)} ms)`;
    list.replaceChildren(ok);
    return;
  }
  list.replaceChildren(
    ...reply.diagnostics.map((d) => {
      const li = document.createElement('li');
      li.className = d.severity;
      li.dataset.line = String(d.line);
      li.textContent = `${diagnosticLine(d, PAGE_FILE)}${d.suggestions.length > 0 ? `\n  did you mean: ${d.suggestions.slice(0, 3).join(', ')}?` : ''}`;
      li.addEventListener('click', () => editor.reveal(d));
      return li;
    }),
  );
}

async function compileNow(): Promise<void> {
  const text = editor.text;
  updateUrl();
  const reply = await compiler.compile(text);
  if (text !== editor.text) return; // a newer edit is on its way
  editor.showDiagnostics(text, reply.diagnostics);
  showDiagnostics(reply);
  if (reply.summary === null) {
    $('summary-note').textContent = reply.diagnostics.some((d) => d.severity === 'error') ? '(fix the errors to update it)' : '';
    return;
  }
  lastGood = reply;
  renderSummary($('summary'), reply.summary);
  $('summary-note').textContent = `${reply.summary.name}: ${reply.summary.params.toLocaleString('en')} parameters`;
  $('train').toggleAttribute('disabled', reply.train === null || reply.train.data !== 'mnist' || trainView.el.pause.disabled === false);
  scheduleAnalysis();
}

// ---- signal propagation ----
let analysisTimer: ReturnType<typeof setTimeout> | null = null;
let analysisId = 0;
let analysisBusy = false;
const analyser = new EngineClient(mode, onAnalysis);

function scheduleAnalysis(): void {
  if (analysisTimer !== null) clearTimeout(analysisTimer);
  analysisTimer = setTimeout(() => {
    if (lastGood === null || lastGood.summary === null) return;
    if (lastGood.summary.blocks === 0) return signal.status('(the network has no residual blocks)');
    if (schemes.length === 0) return signal.status('(choose a scheme)');
    if (analysisBusy) analyser.restart(); // its answer would be for an older spec
    analysisBusy = true;
    analyser.send({ type: 'analyse', id: ++analysisId, source: editor.text, schemes });
    signal.status(`measuring ${lastGood.summary.blocks} blocks…`);
  }, 300);
}

function onAnalysis(m: EngineReply): void {
  if (m.type === 'engine') return;
  if ('id' in m && m.id !== undefined && m.id !== analysisId) return;
  if (m.type === 'analysis-progress') signal.status(`${m.scheme}: block ${m.done} of ${m.total}`);
  else if (m.type === 'analysed') {
    analysisBusy = false;
    void signal.show(m).then(() => signal.status(`measured in ${(m.millis / 1000).toFixed(1)} s`));
  } else if (m.type === 'error') {
    analysisBusy = false;
    signal.status(m.message, true);
  }
}

// ---- training ----
const trainer = new EngineClient(mode, (m) => {
  if (m.type === 'engine') showEngine(m.info);
  else if (m.type === 'weights') download(m.bytes, m.file);
  else if (m.type === 'error') {
    if (m.during === 'init') {
      $('engine-badge').textContent = `engine failed: ${m.message}`;
      $('engine-badge').className = 'badge failed';
    }
    trainView.status(m.message, true);
    if (m.during === 'train') trainView.end();
  } else trainView.update(m);
});

function download(bytes: Uint8Array, file: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

$('train').addEventListener('click', () => {
  trainView.begin(lastGood?.summary?.name ?? 'model');
  trainer.send({ type: 'train', source: editor.text });
});
$('pause').addEventListener('click', () => trainer.send({ type: trainView.el.pause.textContent === 'pause' ? 'pause' : 'continue' }));
$('stop').addEventListener('click', () => trainer.send({ type: 'cancel' }));
$('download').addEventListener('click', () => trainer.send({ type: 'weights' }));
$<HTMLSelectElement>('engine-mode').value = mode;
$<HTMLSelectElement>('engine-mode').addEventListener('change', (e) => {
  location.hash = encodeView({ spec: editor.text, schemes, engine: (e.target as HTMLSelectElement).value as PageMode });
  location.reload();
});
$('copy-link').addEventListener('click', () => {
  updateUrl();
  void navigator.clipboard?.writeText(location.href).then(() => ($('copy-link').textContent = 'link copied'));
});

scheduleCompile();
