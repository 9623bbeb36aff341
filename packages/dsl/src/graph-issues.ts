// Issues from the graph package's validation and shape inference, as diagnostics that point at the statement
// that made the node. A node made inside a user block points into the block, with a note naming the call.
import type { Graph, GraphIssue } from '@skipinit/graph';
import { error } from './diagnostic';
import type { Diagnostic, DiagnosticCode } from './diagnostic';
import type { ModelLowerer } from './lower-model';
import type { Reporter } from './reporter';
import type { Span } from './span';

/** graph/limit is the DSL's limit/params or limit/width; shape/* codes pass through; other graph/* codes too. */
function codeOf(issue: GraphIssue): DiagnosticCode {
  if (issue.code === 'graph/limit') return /parameters/.test(issue.message) ? 'limit/params' : 'limit/width';
  return issue.code as DiagnosticCode;
}

/** The objects along an issue's path (['nodes', 3, 'branch', 'nodes', 1]), outermost first. */
function objectsAlong(graph: Graph, path: readonly (string | number)[]): object[] {
  const out: object[] = [];
  let cur: unknown = graph;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') break;
    cur = (cur as Record<string | number, unknown>)[p];
    if (cur !== null && typeof cur === 'object' && !Array.isArray(cur)) out.push(cur);
  }
  return out;
}

export function graphIssueToDiagnostic(issue: GraphIssue, graph: Graph, lowerer: ModelLowerer, r: Reporter, fallback: Span): Diagnostic {
  const span: Span = issue.span ? { start: issue.span.offset, end: issue.span.endOffset } : fallback;
  const notes: string[] = [];
  for (const o of objectsAlong(graph, issue.path).reverse()) {
    const sites = lowerer.callSites.get(o);
    if (sites) {
      for (const s of sites) notes.push(`in block '${s.block}', used at ${r.where({ span: s.span, file: r.file })}`);
      break;
    }
  }
  const d = error(codeOf(issue), issue.message, span, r.file, { notes });
  return issue.severity === 'warning' ? { ...d, severity: 'warning' } : d;
}
