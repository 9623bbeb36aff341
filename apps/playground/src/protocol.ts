// The messages between the page and its workers. The page computes nothing: the compile worker turns
// spec text into diagnostics and a summary; an engine worker (one for analysis, one for training)
// builds the gpu.js engine and runs signal propagation or training on it.

import type { Summary } from '@skipinit/graph';

/** The name diagnostics carry for the spec typed in the page. */
export const PAGE_FILE = 'playground.arch';

/** The engine modes the page may ask for ('auto': webgpu where an adapter answers, else webasm, else cpu). */
export const PAGE_MODES = ['auto', 'webgpu', 'webasm', 'cpu'] as const;
export type PageMode = (typeof PAGE_MODES)[number];

/** The schemes the signal-propagation plot can compare ('spec': the network as written). */
export const PAGE_SCHEMES = ['spec', 'plain', 'bn', 'skipinit', 'scaled', 'fixup'] as const;
export type PageScheme = (typeof PAGE_SCHEMES)[number];

/** One compiler diagnostic, as the editor shows it (offsets are UTF-16 code units into the spec). */
export interface PageDiagnostic {
  readonly severity: 'error' | 'warning';
  readonly code: string;
  readonly message: string;
  readonly from: number;
  readonly to: number;
  readonly line: number;
  readonly column: number;
  readonly suggestions: readonly string[];
  readonly notes: readonly string[];
}

// ---- the compile worker ----

export interface CompileRequest {
  readonly type: 'compile';
  readonly id: number;
  readonly source: string;
}

export interface CompileReply {
  readonly type: 'compiled';
  readonly id: number;
  readonly diagnostics: readonly PageDiagnostic[];
  readonly summary: Summary | null;
  /** The train section's steps, batch and data set (null without a train section or with errors). */
  readonly train: { readonly steps: number | null; readonly epochs: number | null; readonly batch: number; readonly data: string; readonly seed: number } | null;
  readonly millis: number;
}

// ---- the engine workers ----

export interface EngineInfo {
  readonly mode: string;
  /** The engine's own description of the mode that runs and why (backend.describe()). */
  readonly description: string;
  /** The WebGPU adapter in words, when mode is webgpu. */
  readonly adapter: string | null;
  /** Modes passed over, with the reason each could not run here. */
  readonly skipped: readonly { readonly mode: string; readonly reason: string }[];
  readonly crossOriginIsolated: boolean;
  readonly threads: number;
  readonly millis: number;
}

export type EngineRequest =
  | { readonly type: 'init'; readonly mode: PageMode; /** The folder of the MNIST subset (an absolute URL). */ readonly data: string }
  | { readonly type: 'analyse'; readonly id: number; readonly source: string; readonly schemes: readonly PageScheme[] }
  | { readonly type: 'train'; readonly source: string }
  | { readonly type: 'pause' }
  | { readonly type: 'continue' }
  | { readonly type: 'cancel' }
  | { readonly type: 'weights' };

export interface TrainPoint {
  readonly step: number;
  readonly epoch: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly lr: number;
  readonly examplesPerSecond: number;
  readonly elapsedSeconds: number;
}

export interface EvalPoint {
  readonly step: number;
  readonly split: string;
  readonly loss: number;
  readonly accuracy: number;
}

export type EngineReply =
  | { readonly type: 'engine'; readonly info: EngineInfo }
  | { readonly type: 'analysis-progress'; readonly id: number; readonly scheme: string; readonly done: number; readonly total: number }
  | {
      readonly type: 'analysed';
      readonly id: number;
      /** Vega-Lite specs from @skipinit/analysis: the variance against depth, and the four panels. */
      readonly variance: object;
      readonly panels: object;
      /** The analysis package's summary table: one row per scheme (overflow block, growth, the laws' bands). */
      readonly table: { readonly columns: readonly { readonly key: string; readonly title?: string }[]; readonly rows: readonly Record<string, unknown>[] };
      readonly millis: number;
    }
  | { readonly type: 'train-begin'; readonly totalSteps: number; readonly parameters: number; readonly trainExamples: number; readonly evalExamples: number }
  | { readonly type: 'train-step'; readonly point: TrainPoint }
  | { readonly type: 'train-eval'; readonly point: EvalPoint }
  | { readonly type: 'train-paused'; readonly step: number }
  | { readonly type: 'train-continued'; readonly step: number }
  | { readonly type: 'train-end'; readonly status: string; readonly message: string | null; readonly steps: number; readonly examplesPerSecond: number; readonly testAccuracy: number | null }
  | { readonly type: 'weights'; readonly bytes: Uint8Array; readonly file: string; readonly step: number; readonly tensors: number }
  | { readonly type: 'error'; readonly during: 'init' | 'analyse' | 'train' | 'weights'; readonly id?: number; readonly message: string };
