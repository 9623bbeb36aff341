// @skipinit/analysis: signal propagation at initialisation (per-block statistics of the skip path and the
// residual branch, with the theory's prediction), sweeps in a pool of worker processes, result tables,
// plots (Vega-Lite, rendered to SVG and PNG headless) and ASCII charts. Imports tensor, graph, layers,
// init, data and trainer; the CLI brings the engine and the files.

export { AnalysisError } from './errors';
export { channelStats, FLOAT32_MAX } from './channel-stats';
export type { ChannelStats } from './channel-stats';
export { blockPlan, blockPlanOf, segmentOf } from './block-plan';
export type { BlockPlan, BlockSegment } from './block-plan';
export { blockLaw, chainLaw, describeLaw, insideFraction, layerLaw, predictBlock, weightFactor } from './theory';
export type { Affine, BlockLaw, BlockPrediction, ForwardMode, Law } from './theory';
export { theoryCurve } from './prediction';
export type { CurveOptions, LawRange, TheoryCurve } from './prediction';
export { ANALYSIS_SCHEMES, SCHEME_DESCRIPTIONS, isAnalysisScheme, withScheme } from './schemes';
export type { AnalysisScheme } from './schemes';
export { signalPropagation } from './signal';
export type { BlockRecord, SignalOptions, SignalReport } from './signal';
export { summarizeSignal } from './signal-summary';
export type { Band, SignalSummary } from './signal-summary';

export { formatCell, formatNumber, toCsv, toMarkdown } from './table';
export type { Cell, Column, Table } from './table';
export { asciiChart, shortNumber } from './ascii-chart';
export type { AsciiChartOptions, AsciiPoint, AsciiSeries } from './ascii-chart';

export { DEFAULT_SWEEP_LOOP, planSweep, SWEEP_FILES, SWEEP_FORMAT, sweepManifest } from './sweep/plan';
export type { SweepAxisInfo, SweepCell, SweepCellInput, SweepLoop, SweepManifest } from './sweep/plan';
export { cellState, clearUnstartedRun, LOCK_FILE, lockHolder, processAlive, WORKER_LOG } from './sweep/cell-state';
export type { CellState } from './sweep/cell-state';
export { runPool } from './sweep/pool';
export type { JobOutcome, PoolJob, PoolOptions } from './sweep/pool';
export { runSweepWorker, WORKER_EXIT } from './sweep/worker';
export type { CellSync, CellTask, WorkerMessage, WorkerOptions } from './sweep/worker';
export { runSweep } from './sweep/run';
export type { CellOutcome, RunSweepOptions, SweepEvent, SweepRun, WorkerCommand } from './sweep/run';
export { cellResult, parseMetrics, readManifest, readMetrics, readSweep, resultsTable } from './sweep/results';
export type { CellResult, CellStatus, MetricRecord } from './sweep/results';
export { batchRows, batchTable, depthAxes, depthTable, lrPoints, schemeLabels } from './sweep/derived';
export type { BatchRow, LrPoint } from './sweep/derived';

export { PLOT_CONFIG, PLOT_FONT, renderPlot, renderSvg, svgToPng } from './plot/render';
export { reportLabel, signalPanelsSpec, variancePlotSpec } from './plot/signal-plots';
export { accuracyVsLrSpec, optimalLrSpec, trainingCurvesSpec } from './plot/sweep-plots';
export type { CurveRun } from './plot/sweep-plots';

export { plotFiles, writeOutputFiles } from './report/output-file';
export type { OutputFile } from './report/output-file';
export { SIGNAL_FORMAT, signalAscii, signalFile, signalFiles, signalSummaryTable, signalText } from './report/signal-report';
export type { SignalFile } from './report/signal-report';
export { sweepAscii, sweepFiles, sweepReport, sweepText } from './report/sweep-report';
export type { SweepReport } from './report/sweep-report';
export { runAscii, runFiles } from './report/run-report';
