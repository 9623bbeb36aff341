// What a run records so that anyone can feed its model exactly what it was trained on (config.json's
// `io` and every checkpoint's `io` metadata):
//
//   layout          'NCHW' for images ([batch, C, H, W], float32), 'NF' for flat vectors ([batch, features])
//   input_shape     one example, without the batch axis
//   value_range     the raw values before normalisation ([0, 1] for images: pixel / 255), null: unbounded
//   normalization   x' = (x - mean[c]) / std[c] per channel, fitted on the training split (population std)
//   class_names     one per logit, in order
//   padding         every convolution's and window pool's pixels of padding [top, left, bottom, right]
//                   (ONNX's order; torch.nn.functional.pad takes (left, right, top, bottom)), with the rule:
//                   'same' is TensorFlow's, the odd pixel of padding at the bottom/right

import { convPadding } from '@skipinit/graph';
import { Conv2d, Model, Pool } from '@skipinit/layers';
import type { TrainableModel } from './model';
import type { TrainingData } from './training-data';

export const PADDING_RULE =
  "'same' pads total = max((ceil(n / stride) - 1) * stride + kernel - n, 0) pixels per axis, floor(total / 2) before (top/left) and the rest after (bottom/right), as TensorFlow does; PyTorch's padding=k//2 is symmetric and differs for even inputs with stride 2; 'valid' pads 0; a number pads that many on every side";

export interface PaddingRecord {
  /** The module ('stage2.block1.conv1', 'conv1', 'stage2.block1.shortcut'). */
  readonly name: string;
  readonly kind: 'conv' | 'pool';
  readonly kernel: number;
  readonly stride: number;
  /** As written in the spec: 'same', 'valid' or pixels. */
  readonly padding: 'same' | 'valid' | number;
  /** Input [H, W] and output [H, W]. */
  readonly input: readonly [number, number];
  readonly output: readonly [number, number];
  /** [top, left, bottom, right]. */
  readonly pads: readonly [number, number, number, number];
}

export interface ModelIo {
  readonly layout: 'NCHW' | 'NF';
  readonly input_shape: readonly number[];
  readonly value_range: readonly [number, number] | null;
  readonly normalization: { readonly mean: readonly number[]; readonly std: readonly number[]; readonly fitted_on: string } | null;
  readonly class_names: readonly string[];
  readonly padding: { readonly rule: string; readonly layers: readonly PaddingRecord[] };
}

/** The padding of every conv and window pool of a @skipinit/layers model (none for other models). */
export function paddingRecords(model: TrainableModel): PaddingRecord[] {
  if (!(model instanceof Model)) return [];
  const out: PaddingRecord[] = [];
  for (const m of model.modules()) {
    if (m instanceof Conv2d || (m instanceof Pool && m.op !== 'global')) {
      const isConv = m instanceof Conv2d;
      const kernel = isConv ? m.kernel : (m as Pool).size;
      const [h, w] = [m.inShape[1], m.inShape[2]];
      const pads = isConv
        ? [...convPadding(h, kernel, m.stride, m.padding), ...convPadding(w, kernel, m.stride, m.padding)]
        : [...(m as Pool).padding];
      const padding = isConv ? m.padding : (m as Pool).paddingSpec;
      out.push({ name: m.name, kind: isConv ? 'conv' : 'pool', kernel, stride: m.stride, padding, input: [h, w], output: [m.outShape[1], m.outShape[2]], pads: [pads[0], pads[2], pads[1], pads[3]] });
    }
  }
  return out;
}

/** The run's input contract, from its model and prepared data. */
export function modelIo(model: TrainableModel, data: TrainingData): ModelIo {
  const train = data.train;
  const n = data.normalization;
  const classes = model.outputShape[0];
  return {
    layout: model.inputShape.length === 3 ? 'NCHW' : 'NF',
    input_shape: [...model.inputShape],
    value_range: train.valueRange ? [train.valueRange[0], train.valueRange[1]] : null,
    normalization: n ? { mean: [...n.mean], std: [...n.std], fitted_on: `the training split as trained on (${train.name}, ${train.length} examples)` } : null,
    class_names: train.classNames ? [...train.classNames] : Array.from({ length: classes }, (_, i) => String(i)),
    padding: { rule: PADDING_RULE, layers: paddingRecords(model) },
  };
}
