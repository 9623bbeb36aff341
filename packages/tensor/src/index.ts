// @skipinit/tensor: Float32 tensors, broadcasting, a reverse-mode autograd tape, the op table, the Backend interface, a seeded RNG, memory accounting, and a float64 reference backend.
export {};
export type * from './backend';
