// @skipinit/analysis/node: everything of the package entry, and what needs Node: sweeps (plans keyed by
// the trainer's config hash, a pool of worker processes, cell state and results read from files), the file
// outputs and plot rendering to SVG and PNG (resvg, a native addon).

export * from './index';

export { DEFAULT_SWEEP_LOOP, planSweep, SWEEP_FILES, SWEEP_FORMAT, sweepManifest } from './sweep/plan';
export { cellState, clearUnstartedRun, LOCK_FILE, lockHolder, processAlive, WORKER_LOG } from './sweep/cell-state';
export type { CellState } from './sweep/cell-state';
export { runPool } from './sweep/pool';
export type { JobOutcome, PoolJob, PoolOptions } from './sweep/pool';
export { runSweepWorker, WORKER_EXIT } from './sweep/worker';
export type { CellSync, CellTask, WorkerMessage, WorkerOptions } from './sweep/worker';
export { runSweep } from './sweep/run';
export type { CellOutcome, RunSweepOptions, SweepEvent, SweepRun, WorkerCommand } from './sweep/run';
export { cellResult, parseMetrics, readManifest, readMetrics, readSweep, resultsTable } from './sweep/results';

export { renderPlot, renderSvg, svgToPng } from './plot/render';
export { plotFiles, writeOutputFiles } from './report/output-file';
export { signalFiles } from './report/signal-files';
export { sweepAscii, sweepFiles, sweepReport, sweepText } from './report/sweep-report';
export type { SweepReport } from './report/sweep-report';
export { runAscii, runFiles } from './report/run-report';
