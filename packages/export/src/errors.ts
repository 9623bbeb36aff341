// What the exporter refuses, with where: the module that has no ONNX form, or bad options.

export type OnnxExportErrorCode = 'export/unsupported-layer' | 'export/bad-option' | 'export/bad-model';

export class OnnxExportError extends Error {
  override readonly name = 'OnnxExportError';
  constructor(
    readonly code: OnnxExportErrorCode,
    message: string,
    /** The module's dotted name ('stage1.block2.conv1'), when one is to blame. */
    readonly module: string | null = null,
  ) {
    super(message);
  }
}
