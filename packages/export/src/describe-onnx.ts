// Reading an ONNX model back (for tests, and for the CLI to say what it wrote): opset, inputs and outputs
// with their dimensions, node counts per op, initializers and their values in all, and metadata_props.

import { OnnxExportError } from './errors';
import type { OnnxTypes } from './onnx-proto';
import { onnx } from './onnx-proto';

export interface OnnxSummary {
  readonly irVersion: number;
  readonly opset: number;
  readonly producer: string;
  readonly inputs: readonly { readonly name: string; readonly shape: readonly (number | string)[] }[];
  readonly outputs: readonly { readonly name: string; readonly shape: readonly (number | string)[] }[];
  readonly nodes: number;
  readonly ops: Readonly<Record<string, number>>;
  readonly initializers: number;
  /** Values held by the initializers. */
  readonly values: number;
  readonly metadata: Readonly<Record<string, string>>;
  /** The decoded graph's nodes, for whoever wants to look closer (tests check pads and attributes). */
  readonly graph: OnnxTypes.IGraphProto;
}

const num = (v: number | { toNumber(): number } | null | undefined): number => (v === null || v === undefined ? 0 : typeof v === 'number' ? v : v.toNumber());

function dims(v: OnnxTypes.IValueInfoProto): (number | string)[] {
  return (v.type?.tensorType?.shape?.dim ?? []).map((d) => (d.dimParam ? d.dimParam : num(d.dimValue)));
}

/** Decodes ONNX bytes; an unreadable file is an OnnxExportError. */
export function describeOnnx(bytes: Uint8Array): OnnxSummary {
  let m: OnnxTypes.ModelProto;
  try {
    m = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new OnnxExportError('export/bad-model', `not an ONNX model: ${(e as Error).message}`);
  }
  const g = m.graph ?? {};
  const ops: Record<string, number> = {};
  for (const n of g.node ?? []) ops[n.opType ?? '?'] = (ops[n.opType ?? '?'] ?? 0) + 1;
  let values = 0;
  for (const t of g.initializer ?? []) values += (t.dims ?? []).reduce<number>((a, d) => a * num(d), 1);
  return {
    irVersion: num(m.irVersion),
    opset: num(m.opsetImport.find((o) => !o.domain)?.version),
    producer: `${m.producerName} ${m.producerVersion}`.trim(),
    inputs: (g.input ?? []).map((v) => ({ name: v.name ?? '', shape: dims(v) })),
    outputs: (g.output ?? []).map((v) => ({ name: v.name ?? '', shape: dims(v) })),
    nodes: g.node?.length ?? 0,
    ops,
    initializers: g.initializer?.length ?? 0,
    values,
    metadata: Object.fromEntries(m.metadataProps.map((p) => [p.key ?? '', p.value ?? ''])),
    graph: g,
  };
}

/** The values of an initializer of `graph` (float32 or int64 raw data), by name; throws when absent. */
export function initializerValues(graph: OnnxTypes.IGraphProto, name: string): number[] {
  const t = (graph.initializer ?? []).find((i) => i.name === name);
  if (t === undefined) throw new OnnxExportError('export/bad-model', `no initializer named '${name}'`);
  const raw = t.rawData ?? new Uint8Array(0);
  const bytes = new Uint8Array(raw); // a copy: a decoded Buffer may be a view into a larger pool
  if (t.dataType === onnx.TensorProto.DataType.INT64) return Array.from(new BigInt64Array(bytes.buffer), Number);
  if (t.dataType === onnx.TensorProto.DataType.FLOAT) return Array.from(new Float32Array(bytes.buffer));
  throw new OnnxExportError('export/bad-model', `initializer '${name}' has data type ${t.dataType} (this reads FLOAT and INT64 raw data)`);
}
