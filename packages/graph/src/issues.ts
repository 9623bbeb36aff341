// Issue codes: stable names for every problem validation and shape inference report. A code never
// changes meaning; the DSL maps them to its own diagnostics (and documents them).

import type { GraphIssue, Node, Span } from './types';

export const ISSUE_CODES = {
  'graph/empty': 'the graph has no nodes',
  'graph/input-first': 'the first node must be the only input',
  'graph/unknown-kind': 'a node kind the graph does not know',
  'graph/bad-attribute': 'an attribute is missing or has the wrong type',
  'graph/not-positive': 'a size, count or stride is not a positive integer',
  'graph/out-of-range': 'a number lies outside its legal range (probability, momentum, eps, ...)',
  'graph/unknown-name': 'a name that is not in the vocabulary',
  'graph/limit': 'a stated limit is exceeded (blocks, parameters, width, ...)',
  'graph/duplicate-id': 'two nodes share an id',
  'graph/misplaced-node': 'a node where it cannot be (an input after the first node, a composite inside a branch)',
  'graph/stage-mismatch': "a stage's width/blocks/stride disagree with its body",
  'graph/redundant-bias': 'a bias right before a batch norm, which removes it (warning)',
  'graph/nf-norm': 'an NF block with a norm layer in its branch: NF-ResNets are normaliser-free (warning)',
  'shape/needs-flat': 'a dense layer (or head without pooling) after an image without flatten or global pooling',
  'shape/needs-image': 'a conv or pool layer after a flat input',
  'shape/empty': 'a stride, kernel or pool shrinks a feature map to nothing',
  'shape/fan-in': 'weight standardisation on a layer with a single input weight per output',
  'shape/shortcut-mismatch': "an identity shortcut whose input and branch output shapes differ",
  'shape/projection-impossible': 'no 1x1 strided projection maps the block input to the branch output shape',
  'train/bad-attribute': 'a train setting is missing, unknown, or has the wrong type',
  'train/unknown-name': 'a data set, optimiser, schedule or augmentation name that is not in the vocabulary',
  'train/out-of-range': 'a train setting outside its legal range (lr > 0, momentum in [0, 1), ...)',
  'train/conflict': 'train settings that contradict each other (steps and epochs, nesterov without momentum, ...)',
  'sweep/empty': 'a sweep without axes, or an axis without values',
  'sweep/duplicate-axis': 'two sweep axes with the same name',
  'sweep/unknown-setting': "a train-target axis that names no train setting",
  'sweep/bad-value': 'a sweep value the setting cannot take',
  'sweep/no-train': 'a train-setting axis in a study without a train block',
  'sweep/too-many-cells': 'a grid over the stated limit of cells',
  'format/invalid': 'serialized text that is not JSON, or not a graph/study document',
  'format/version': 'a document of a format version this package does not read',
} as const;

export type IssueCode = keyof typeof ISSUE_CODES;

/** The codes that are warnings: legal, but probably not meant. */
const WARNINGS: ReadonlySet<IssueCode> = new Set<IssueCode>(['graph/redundant-bias', 'graph/nf-norm']);

/** A path element list rendered for people: ['nodes', 3, 'branch', 'nodes', 1] -> "nodes[3].branch.nodes[1]". */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out;
}

/** Collects issues while walking a graph; knows the current path and the nearest span. */
export class IssueList {
  readonly issues: GraphIssue[] = [];

  add(
    code: IssueCode,
    message: string,
    path: readonly (string | number)[],
    span: Span | undefined,
    severity: 'error' | 'warning' = WARNINGS.has(code) ? 'warning' : 'error',
  ): void {
    const issue: GraphIssue = { code, severity, message, path: [...path], where: formatPath(path) };
    if (span !== undefined) issue.span = span;
    this.issues.push(issue);
  }

  get errorCount(): number {
    let n = 0;
    for (const i of this.issues) if (i.severity === 'error') n++;
    return n;
  }
}

/** The span of `node`, or the enclosing one. */
export function spanOf(node: Node | undefined, outer: Span | undefined): Span | undefined {
  return (node as { span?: Span } | undefined)?.span ?? outer;
}

/** Thrown by functions that cannot return issues (parseGraph, builders given bad input). */
export class GraphError extends Error {
  readonly issues: GraphIssue[];
  constructor(message: string, issues: GraphIssue[] = []) {
    super(message);
    this.name = 'GraphError';
    this.issues = issues;
  }
}
