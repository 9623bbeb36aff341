// The ONNX protobuf messages, from the onnx-proto package (protobufjs code generated from onnx.proto by
// its authors; we never encode protobuf by hand). It is CommonJS: its namespace is the default export.

import onnxProto from 'onnx-proto';

export const onnx = onnxProto.onnx;
export type { onnx as OnnxTypes } from 'onnx-proto';

/** TensorProto.DataType.FLOAT. */
export const FLOAT = onnx.TensorProto.DataType.FLOAT;
