// The reference backend standing in for a backend that reads only asynchronously (WebGPU): `read` throws,
// `readAsync` answers on a later turn of the event loop, as a GPU read-back does. Everything else is the
// float64 ReferenceBackend, so a computation that runs here gives exactly the numbers it gives there:
// the test double for code that must work on WebGPU (training, evaluation, analysis) on a machine without
// one.

import type { DataId } from '../backend';
import { ReferenceBackend } from './reference-backend';

export class AsyncReferenceBackend extends ReferenceBackend {
  override read(_id: DataId): never {
    throw new Error('this reference backend reads only asynchronously (it stands in for WebGPU): use readAsync');
  }

  /** The values as they are now (copied at the call), delivered on a later macrotask. */
  override readAsync(id: DataId): Promise<Float64Array> {
    const values = super.read(id);
    return new Promise((resolve) => setTimeout(() => resolve(values), 0));
  }
}
