// @skipinit/export: a trained model to ONNX (opset 17, evaluation mode, normalisation as the first nodes,
// explicit pads, dynamic batch), written with onnx-proto's protobuf code. Imports graph, layers, tensor.

export { exportOnnx, OPSET } from './export-onnx';
export type { InputNormalization, OnnxExport, OnnxExportOptions } from './export-onnx';
export { describeOnnx, initializerValues } from './describe-onnx';
export type { OnnxSummary } from './describe-onnx';
export { LAYER_NODES, onnxPads } from './layer-nodes';
export { OnnxExportError } from './errors';
export type { OnnxExportErrorCode } from './errors';
export { IR_VERSION } from './onnx-builder';
