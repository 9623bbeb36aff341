import { createDataset, featureSize, type Dataset, type DatasetSplits } from './dataset';
import { check } from './errors';
import { Rng, Stream } from './rng';
import { checkSynthetic, type SyntheticOptions } from './synthetic-shape';

/**
 * A random teacher network: inputs x ~ N(0, I_D), labels y = argmax of a small random MLP
 * D -> hidden[0] -> ... -> classes (a "teacher-student" task with a known, learnable target).
 *
 * Weights are N(0, gain / fan_in) with gain 2 after a relu layer and 1 otherwise (He / LeCun), biases zero,
 * so pre-activations keep about unit scale with depth. A label-noise probability `labelNoise` replaces a label with a
 * uniformly random other class (from its own stream: the inputs do not change with it). The teacher is returned so a study can inspect it or label more data.
 * Classes need not be balanced: the argmax of a random network favours some classes (see `classCounts`).
 */
export interface TeacherOptions extends SyntheticOptions {
  /** Hidden widths (default [64]). [] makes a linear teacher. */
  hidden?: readonly number[];
  activation?: 'tanh' | 'relu';
  /** Probability of replacing a label by a random other class (default 0). */
  labelNoise?: number;
}

export interface TeacherNetwork {
  readonly activation: 'tanh' | 'relu';
  /** Layer sizes, inputs first: [D, ...hidden, classes]. */
  readonly sizes: readonly number[];
  /** weights[l] is [sizes[l + 1], sizes[l]] row-major; biases[l] has sizes[l + 1] values. */
  readonly weights: readonly Float32Array[];
  readonly biases: readonly Float32Array[];
}

export interface TeacherDataset extends DatasetSplits {
  readonly teacher: TeacherNetwork;
}

/** The teacher's logits for one input (float64 arithmetic). */
export function teacherLogits(teacher: TeacherNetwork, input: ArrayLike<number>): Float64Array {
  const { sizes, weights, biases } = teacher;
  check(input.length === sizes[0], 'teacherLogits', `input has ${input.length} values, the teacher takes ${sizes[0]}`);
  let h = Float64Array.from(input);
  for (let l = 0; l < weights.length; l++) {
    const fanIn = sizes[l];
    const out = new Float64Array(sizes[l + 1]);
    for (let o = 0; o < out.length; o++) {
      let s = biases[l][o];
      for (let i = 0; i < fanIn; i++) s += weights[l][o * fanIn + i] * h[i];
      const hidden = l < weights.length - 1;
      out[o] = !hidden ? s : teacher.activation === 'relu' ? Math.max(0, s) : Math.tanh(s);
    }
    h = out;
  }
  return h;
}

function argmax(v: Float64Array): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
  return best;
}

export function teacherNetwork(options: TeacherOptions): TeacherDataset {
  const where = 'teacherNetwork';
  const shape = checkSynthetic(options, where);
  const hidden = [...(options.hidden ?? [64])];
  check(hidden.every((w) => Number.isInteger(w) && w >= 1), where, `hidden widths must be integers >= 1, got [${hidden.join(', ')}]`);
  const activation = options.activation ?? 'tanh';
  check(activation === 'tanh' || activation === 'relu', where, `activation must be 'tanh' or 'relu', got '${activation}'`);
  const labelNoise = options.labelNoise ?? 0;
  check(labelNoise >= 0 && labelNoise <= 1, where, `labelNoise must be in [0, 1], got ${labelNoise}`);
  const d = featureSize(shape);
  const sizes = [d, ...hidden, options.classes];
  const gain = activation === 'relu' ? 2 : 1;
  const wRng = new Rng(options.seed, Stream.synthetic, 10);
  const weights: Float32Array[] = [];
  const biases: Float32Array[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const std = Math.sqrt((l === 0 ? 1 : gain) / sizes[l]);
    const w = new Float32Array(sizes[l + 1] * sizes[l]);
    for (let i = 0; i < w.length; i++) w[i] = std * wRng.normal();
    weights.push(w);
    biases.push(new Float32Array(sizes[l + 1]));
  }
  const teacher: TeacherNetwork = { activation, sizes, weights, biases };
  const split = (part: 'train' | 'test', stream: number): Dataset => {
    const n = options[part];
    const rng = new Rng(options.seed, Stream.synthetic, stream);
    const noise = new Rng(options.seed, Stream.synthetic, stream + 100); // inputs do not depend on labelNoise
    const x = new Float32Array(n * d);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const input = x.subarray(i * d, (i + 1) * d);
      for (let j = 0; j < d; j++) input[j] = rng.normal();
      y[i] = argmax(teacherLogits(teacher, input));
      if (labelNoise > 0 && noise.random() < labelNoise) {
        y[i] = (y[i] + 1 + noise.randint(options.classes - 1)) % options.classes;
      }
    }
    return createDataset({ name: `teacher/${part}`, x, y, shape, numClasses: options.classes });
  };
  return { train: split('train', 11), test: split('test', 12), teacher };
}
