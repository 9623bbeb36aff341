// Signal propagation at initialisation in the page: the spec's network rewritten to each chosen scheme,
// one forward pass each on the engine (@skipinit/analysis, as `skipinit analyze` does), and the
// analysis package's Vega-Lite specs of the result, with the theory overlaid.
import {
  blockPlan,
  signalPanelsSpec,
  signalPropagation,
  signalSummaryTable,
  summarizeSignal,
  variancePlotSpec,
  withScheme,
} from '@skipinit/analysis';
import type { AnalysisScheme, SignalReport } from '@skipinit/analysis';
import { compile } from '@skipinit/dsl';
import type { Engine } from '@skipinit/tensor';
import type { EngineReply, PageScheme } from '../protocol';
import { PAGE_FILE } from '../protocol';

export async function analyse(
  engine: Engine,
  id: number,
  source: string,
  schemes: readonly PageScheme[],
  post: (m: EngineReply) => void,
): Promise<EngineReply> {
  const t0 = performance.now();
  const result = compile(source, { file: PAGE_FILE });
  if (result.errors.length > 0 || result.graph === null || result.inference === null) {
    throw new Error(`the spec has ${result.errors.length} error(s): fix them to see its signal propagation`);
  }
  const graph = result.graph;
  if (result.inference.blocks === 0) throw new Error('the network has no residual blocks: signal propagation is measured per block');
  const seed = result.train?.seed ?? 0;
  // As the CLI: 64 examples for flat blocks, 2 for convolutional ones (each channel still averages 2 x H x W values).
  const first = blockPlan(result.inference).segments[0];
  const batch = first === undefined || first.run.inShape.length === 1 ? 64 : 2;
  const reports: SignalReport[] = [];
  for (const s of schemes) {
    const g = s === 'spec' ? graph : withScheme(graph, s as AnalysisScheme);
    const label = s === 'spec' ? `${graph.name} (as written)` : s;
    const onProgress = (done: number, total: number) => {
      if (done === total || done % 50 === 0) post({ type: 'analysis-progress', id, scheme: label, done, total });
    };
    reports.push(await signalPropagation(g, { engine, batch, seed, mode: 'train', scheme: label, onProgress }));
  }
  const table = signalSummaryTable(reports.map((r) => summarizeSignal(r)));
  return {
    type: 'analysed',
    id,
    variance: variancePlotSpec(reports, { title: `${graph.name}: signal propagation at initialisation (${result.inference.blocks} blocks, batch ${batch})` }),
    panels: signalPanelsSpec(reports),
    table: { columns: table.columns.map((c) => ({ key: c.key, title: c.title })), rows: table.rows },
    millis: performance.now() - t0,
  };
}
