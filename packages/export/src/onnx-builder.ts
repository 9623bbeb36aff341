// Accumulates an ONNX graph: nodes in topological order (the order they are added), float32
// initializers, and unique tensor names. `model()` wraps it in a ModelProto and encodes it.

import type { OnnxTypes } from './onnx-proto';
import { FLOAT, onnx } from './onnx-proto';

/** An attribute value: an int, a float, a list of ints, or a string. */
export type AttrValue = number | { readonly float: number } | readonly number[] | string;

/** IR version 8 (ONNX 1.10-1.12), the one onnx-proto's schema describes; it carries opset 17. */
export const IR_VERSION = 8;

export interface ValueInfo {
  readonly name: string;
  /** Dimensions: a number, or a name for a dynamic axis ('batch'). */
  readonly shape: readonly (number | string)[];
}

export class OnnxGraphBuilder {
  readonly nodes: OnnxTypes.INodeProto[] = [];
  readonly initializers: OnnxTypes.ITensorProto[] = [];
  private readonly used = new Set<string>();
  private readonly opCounts = new Map<string, number>();

  /** `base`, or `base_2`, `base_3`, ... when taken: every tensor and node name is unique. */
  unique(base: string): string {
    let name = base;
    for (let k = 2; this.used.has(name); k++) name = `${base}_${k}`;
    this.used.add(name);
    return name;
  }

  /** A float32 initializer (its values rounded to float32); returns its name. */
  constant(name: string, dims: readonly number[], values: ArrayLike<number>): string {
    const size = dims.reduce((a, b) => a * b, 1);
    if (values.length !== size) throw new Error(`internal: initializer ${name} has ${values.length} values for dims [${dims.join(', ')}]`);
    const data = Float32Array.from(values as ArrayLike<number>);
    const unique = this.unique(name);
    const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    this.initializers.push({ name: unique, dims: [...dims], dataType: FLOAT, rawData: raw });
    return unique;
  }

  /** An int64 initializer (shapes and pads that ops such as Pad take as inputs); returns its name. */
  int64Constant(name: string, values: readonly number[]): string {
    const data = BigInt64Array.from(values.map((v) => BigInt(v)));
    const unique = this.unique(name);
    this.initializers.push({ name: unique, dims: [values.length], dataType: onnx.TensorProto.DataType.INT64, rawData: new Uint8Array(data.buffer) });
    return unique;
  }

  /** One node; returns the name of its (single) output, `name` made unique. */
  node(opType: string, inputs: readonly string[], name: string, attrs: Readonly<Record<string, AttrValue>> = {}): string {
    const out = this.unique(name);
    this.nodes.push({ opType, input: [...inputs], output: [out], name: out, attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)) });
    this.opCounts.set(opType, (this.opCounts.get(opType) ?? 0) + 1);
    return out;
  }

  /** How many nodes of each op type, in first-use order. */
  ops(): Record<string, number> {
    return Object.fromEntries(this.opCounts);
  }

  /** The encoded ModelProto. */
  model(args: {
    readonly name: string;
    readonly opset: number;
    readonly inputs: readonly ValueInfo[];
    readonly outputs: readonly ValueInfo[];
    readonly metadata: Readonly<Record<string, string>>;
    readonly producerVersion: string;
    readonly doc: string;
  }): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: IR_VERSION,
      producerName: 'skipinit',
      producerVersion: args.producerVersion,
      docString: args.doc,
      opsetImport: [{ domain: '', version: args.opset }],
      metadataProps: Object.entries(args.metadata).map(([key, value]) => ({ key, value })),
      graph: {
        name: args.name,
        node: this.nodes,
        initializer: this.initializers,
        input: args.inputs.map(valueInfo),
        output: args.outputs.map(valueInfo),
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

function valueInfo(v: ValueInfo): OnnxTypes.IValueInfoProto {
  const dim = v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name: v.name, type: { tensorType: { elemType: FLOAT, shape: { dim } } } };
}

function attribute(name: string, v: AttrValue): OnnxTypes.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'number') return { name, type: T.INT, i: v };
  if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: T.INTS, ints: [...(v as number[])] };
  return { name, type: T.FLOAT, f: (v as { float: number }).float };
}
