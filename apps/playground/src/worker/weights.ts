// The trained weights as a safetensors file in the layout of the CLI's checkpoints: every parameter and
// buffer under its stable module name (`stage2.block3.conv1.weight`), float32, with the graph and the
// step in the metadata. The optimiser's state and the random streams are not in it: it is a weights file
// for a PyTorch user or for inspection, not a checkpoint to resume.
import { encodeSafetensorsBytes } from '@skipinit/trainer';
import type { Graph } from '@skipinit/graph';
import type { NamedTensor, TrainableModel } from '@skipinit/trainer';

export const WEIGHTS_FORMAT = 'skipinit.weights';

export async function weightsFile(model: TrainableModel, graph: Graph, step: number): Promise<{ bytes: Uint8Array; tensors: number }> {
  const named = [...model.parameters(), ...model.buffers()];
  const values = await Promise.all(named.map((t) => t.value.data()));
  const tensors = new Map<string, NamedTensor>();
  named.forEach((t, i) => tensors.set(t.name, { dtype: 'F32', shape: t.value.shape, data: values[i]! }));
  const metadata = { format: WEIGHTS_FORMAT, format_version: '1', step: String(step), graph: JSON.stringify(graph) };
  return { bytes: encodeSafetensorsBytes(tensors, metadata), tensors: tensors.size };
}
