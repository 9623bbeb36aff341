// @skipinit/analysis: signal propagation at initialisation (per-block statistics of the skip path and the
// residual branch, with the theory's prediction), result tables, the sweep tables derived from results,
// plot specs (Vega-Lite) and ASCII charts. This entry imports no Node module, so a page can load it; the
// sweeps (worker processes, files), the file outputs and the PNG rendering (resvg) are in
// '@skipinit/analysis/node', which also re-exports everything here. The CLI brings the engine and the files.

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

export { batchRows, batchTable, depthAxes, depthTable, lrPoints, schemeLabels } from './sweep/derived';
export type { BatchRow, LrPoint } from './sweep/derived';
export type { SweepAxisInfo, SweepCell, SweepCellInput, SweepLoop, SweepManifest } from './sweep/plan';
export type { CellResult, CellStatus, MetricRecord } from './sweep/results';
export type { OutputFile } from './report/output-file';

export { reportLabel, signalPanelsSpec, variancePlotSpec } from './plot/signal-plots';
export { accuracyVsLrSpec, optimalLrSpec, trainingCurvesSpec } from './plot/sweep-plots';
export type { CurveRun } from './plot/sweep-plots';

export { PLOT_CONFIG, PLOT_FONT } from './plot/config';
export { SIGNAL_FORMAT, signalAscii, signalFile, signalSummaryTable, signalText } from './report/signal-report';
export type { SignalFile } from './report/signal-report';
export { dynamicsData, dynamicsSpec } from './plot/dynamics-plots';
export type { DynamicsData } from './plot/dynamics-plots';
export { METRIC_TABLES, metricsTable } from './report/metrics-table';
export type { MetricTableName } from './report/metrics-table';
