// What the doc says about the machine the numbers come from.
import { cpus, totalmem } from 'node:os';

export function machine(): string {
  const c = cpus();
  const model = c[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
  return `${c.length} cores (${model}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}
