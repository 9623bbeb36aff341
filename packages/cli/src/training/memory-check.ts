// Before a training run allocates anything: the trainer's estimate of what training needs against what
// this machine offers (available memory, a cgroup limit) and what the backend holds in one tensor (gpu.js
// host modes index 2^28 - 1 elements, GPU modes 2^24 - 1; no ArrayBuffer here exceeds buffer.constants.
// MAX_LENGTH bytes). A run that cannot fit is refused at once with what to change; --no-memory-check runs
// it anyway.
import { constants as bufferConstants } from 'node:buffer';
import { freemem, totalmem } from 'node:os';
import { MAX_HOST_ELEMENTS, MAX_INDEXABLE } from '@skipinit/backend-gpujs';
import type { Graph, ResolvedTrainSpec } from '@skipinit/graph';
import { describeMemory, estimateTrainingMemory, formatBytes } from '@skipinit/trainer';
import type { MemoryEstimate } from '@skipinit/trainer';
import { count } from './format';

/** Training would not fit: exit 65 with the message (what to change). */
export class MemoryRefusal extends Error {
  override readonly name = 'MemoryRefusal';
}

export interface MemoryBudget {
  /** Bytes this run may use, and where the figure comes from. */
  readonly bytes: number;
  readonly what: string;
  /** Most elements the backend holds in one tensor, and why. */
  readonly tensorElements: number;
  readonly tensorWhat: string;
}

/** What this machine offers now, for a backend mode ('webasm', 'cpu', 'headlessgl', 'webgpu', 'reference'). */
export function machineBudget(mode: string): MemoryBudget {
  const available = freemem();
  const limit = typeof process.constrainedMemory === 'function' ? process.constrainedMemory() : 0;
  const capped = limit !== undefined && limit > 0 && limit < totalmem() && limit < available;
  const bytesPerElement = mode === 'reference' ? 8 : 4;
  const bufferElements = Math.floor(bufferConstants.MAX_LENGTH / bytesPerElement);
  const gpu = mode === 'headlessgl' || mode === 'webgpu';
  const indexable = gpu ? MAX_INDEXABLE : mode === 'reference' ? Infinity : MAX_HOST_ELEMENTS;
  const tensorElements = Math.min(indexable, bufferElements);
  const tensorWhat =
    tensorElements === bufferElements
      ? `the ${count(bufferElements)} elements one buffer holds here (${formatBytes(bufferConstants.MAX_LENGTH)})`
      : `the ${count(tensorElements)} elements the '${mode}' backend holds in one tensor`;
  return {
    bytes: capped ? limit : available,
    what: capped ? `the ${formatBytes(limit)} memory limit of this process's cgroup` : `the ${formatBytes(available)} of memory available on this machine`,
    tensorElements,
    tensorWhat,
  };
}

/** The estimate for the run, at the backend's precision. */
export function trainingEstimate(graph: Graph, train: ResolvedTrainSpec, mode: string): MemoryEstimate {
  return estimateTrainingMemory(graph, train, { bytesPerElement: mode === 'reference' ? 8 : 4 });
}

/** Why the run cannot fit in `budget`, and what to change; null when it fits. */
export function memoryRefusal(m: MemoryEstimate, budget: MemoryBudget): string | null {
  const tooBig = m.largest.elements > budget.tensorElements;
  const tooMuch = m.total > budget.bytes;
  if (!tooBig && !tooMuch) return null;
  const reasons: string[] = [];
  if (tooBig) reasons.push(`its largest tensor, ${m.largest.what}, has ${count(m.largest.elements)} elements, over ${budget.tensorWhat}`);
  if (tooMuch) reasons.push(`training needs ${describeMemory(m)}, more than ${budget.what}`);
  return `this model cannot train here: ${reasons.join('; and ')}. ${whatToChange(m, budget)} (--no-memory-check trains anyway)`;
}

function whatToChange(m: MemoryEstimate, budget: MemoryBudget): string {
  const perExample = (m.activations + m.workspace) / m.batch;
  const fixed = m.total - m.activations - m.workspace;
  const tips: string[] = [];
  if (m.largest.what.startsWith('the weight of') || fixed > budget.bytes / 2) {
    tips.push(`make ${m.largest.what.startsWith('the weight of') ? m.largest.what.replace('the weight of ', '') : 'the model'} narrower or use fewer layers (parameters, their gradients and optimizer state take ${formatBytes(fixed - m.data)})`);
  }
  if (m.optimizer > 0) tips.push(`momentum 0 saves the ${formatBytes(m.optimizer)} of optimizer state`);
  const fitting = Math.floor((budget.bytes - fixed) / perExample);
  if (m.activations + m.workspace > budget.bytes / 4 || m.largest.what.endsWith(`batch of ${m.batch}`)) {
    const batch = Math.min(fitting, Math.floor(budget.tensorElements / (m.largest.elements / m.batch)));
    tips.push(batch >= 1 && batch < m.batch ? `a batch of ${batch} or less (--set batch=${largestPowerOfTwo(batch)})` : 'a smaller batch (--set batch=...)');
  }
  return `To fit: ${tips.join('; or ')}.`;
}

const largestPowerOfTwo = (n: number): number => 2 ** Math.floor(Math.log2(Math.max(1, n)));

/** The backend mode an engine runs ('webasm', 'reference', ...), from makeEngine's selection report. */
export function modeOf(meta: Record<string, unknown>): string {
  const selection = meta.selection as { mode?: unknown } | undefined;
  return typeof selection?.mode === 'string' ? selection.mode : 'webasm';
}

/**
 * The run header's memory line; throws MemoryRefusal when the run cannot fit, unless `force`
 * (--no-memory-check), in which case the line says so.
 */
export function checkTrainingMemory(graph: Graph, train: ResolvedTrainSpec, mode: string, force: boolean): string {
  const estimate = trainingEstimate(graph, train, mode);
  const budget = machineBudget(mode);
  const refused = memoryRefusal(estimate, budget);
  if (refused !== null && !force) throw new MemoryRefusal(refused);
  const note = refused !== null ? ' (over what this machine offers: --no-memory-check)' : `; ${formatBytes(budget.bytes)} available`;
  return `${describeMemory(estimate)}${note}`;
}
