// Spec text -> what the editor and the summary table show: every diagnostic with its offsets, line and
// column, the summary (shapes, parameters, FLOPs per example) and the training recipe's outline. The
// DSL does the work; this only reshapes its answer for the page.
import { compile, LineIndex } from '@skipinit/dsl';
import type { Diagnostic } from '@skipinit/dsl';
import { resolveTrainSpec, summarizeInference } from '@skipinit/graph';
import { PAGE_FILE } from '../protocol';
import type { CompileReply, PageDiagnostic } from '../protocol';

function toPage(d: Diagnostic, lines: LineIndex, length: number): PageDiagnostic {
  // A diagnostic from an override would point into another text; the page passes none, but keep such a
  // diagnostic visible at the start rather than at a wrong place.
  const own = d.file === PAGE_FILE;
  const from = own ? Math.min(d.span.start, length) : 0;
  const to = own ? Math.min(Math.max(d.span.end, from), length) : 0;
  const at = lines.position(from);
  return {
    severity: d.severity === 'warning' ? 'warning' : 'error',
    code: d.code,
    message: d.message,
    from,
    to,
    line: at.line,
    column: at.column,
    suggestions: d.suggestions ?? [],
    notes: d.notes ?? [],
  };
}

export function compileForPage(id: number, source: string): CompileReply {
  const t0 = performance.now();
  const result = compile(source, { file: PAGE_FILE });
  const lines = new LineIndex(source);
  const diagnostics = [...result.errors, ...result.warnings].map((d) => toPage(d, lines, source.length));
  const ok = result.errors.length === 0 && result.graph !== null && result.inference !== null;
  const summary = ok ? summarizeInference(result.graph!, result.inference!) : null;
  let train: CompileReply['train'] = null;
  if (ok && result.train !== null) {
    const t = resolveTrainSpec(result.train);
    train = { steps: t.steps, epochs: t.epochs, batch: t.data.batch, data: t.data.name, seed: t.seed };
  }
  return { type: 'compiled', id, diagnostics, summary, train, millis: performance.now() - t0 };
}
