// JSON documents with a format name and version: a graph (what a checkpoint stores, what
// `skipinit compile --json` prints) or a whole study. Reading checks the format, the version and
// the structure, and says exactly what is wrong.

import { GraphError } from './issues';
import { validateSweep } from './sweep';
import { validateTrainSpec } from './train-spec';
import type { Graph, GraphIssue } from './types';
import type { Study } from './study-types';
import { validateGraph } from './validate';

export const GRAPH_FORMAT = 'skipinit-graph';
export const STUDY_FORMAT = 'skipinit-study';
/** The document version this package writes and reads. Bump it when a reader of the old one would misread the new. */
export const FORMAT_VERSION = 1;

export interface SerializeOptions {
  /** Spaces of indentation; 0 (the default) writes one line. */
  indent?: number;
}

/** A graph as a JSON document: {"format":"skipinit-graph","version":1,"graph":{...}}. */
export function serializeGraph(graph: Graph, options: SerializeOptions = {}): string {
  return JSON.stringify({ format: GRAPH_FORMAT, version: FORMAT_VERSION, graph }, null, options.indent || undefined);
}

/** A study as a JSON document: {"format":"skipinit-study","version":1,"study":{...}}. */
export function serializeStudy(study: Study, options: SerializeOptions = {}): string {
  return JSON.stringify({ format: STUDY_FORMAT, version: FORMAT_VERSION, study }, null, options.indent || undefined);
}

function envelope(text: string, format: string, field: string): unknown {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new GraphError(`format/invalid: not JSON (${(e as Error).message})`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new GraphError(`format/invalid: expected a ${format} document (a JSON object), got ${Array.isArray(doc) ? 'an array' : typeof doc}`);
  const d = doc as Record<string, unknown>;
  if (d.format !== format)
    throw new GraphError(`format/invalid: expected "format": "${format}", got ${JSON.stringify(d.format) ?? 'nothing'}`);
  if (d.version !== FORMAT_VERSION)
    throw new GraphError(
      `format/version: this is a ${format} document of version ${JSON.stringify(d.version) ?? '(none)'}; this @skipinit/graph reads version ${FORMAT_VERSION}`,
    );
  return d[field];
}

function check(issues: GraphIssue[], what: string): void {
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length > 0)
    throw new GraphError(`format/invalid: the ${what} is malformed: ${errors.map((i) => `${i.where}: ${i.message}`).join('; ')}`, errors);
}

/** Read a graph document written by serializeGraph. Throws GraphError on bad JSON, a wrong format or version, or a malformed graph. */
export function parseGraph(text: string): Graph {
  const graph = envelope(text, GRAPH_FORMAT, 'graph');
  check(validateGraph(graph), 'graph');
  return graph as Graph;
}

/** Read a study document written by serializeStudy (graph, train and sweep all checked). */
export function parseStudy(text: string): Study {
  const study = envelope(text, STUDY_FORMAT, 'study') as Record<string, unknown> | undefined;
  if (typeof study !== 'object' || study === null) throw new GraphError('format/invalid: the document has no "study" object');
  const issues = validateGraph(study.graph).map((i) => ({ ...i, path: ['graph', ...i.path], where: `graph.${i.where}` }));
  if (study.train !== null) issues.push(...validateTrainSpec(study.train));
  check(issues, 'study');
  if (study.sweep !== null) check(validateSweep(study.sweep as Study['sweep'] & object, study.train as Study['train']), 'study');
  if (typeof study.lets !== 'object' || study.lets === null) throw new GraphError('format/invalid: the study has no "lets" object');
  return study as unknown as Study;
}
