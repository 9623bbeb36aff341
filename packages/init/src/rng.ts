// What an initialiser draws from. A structural interface, so this package needs no tensor import:
// @skipinit/tensor's `Rng` satisfies it (and so does any seeded generator with this method). Normal draws
// are made from uniform ones (the ziggurat, normal.ts), so every initialiser needs only `uniform()`.

/** A source of random numbers: `uniform()` in [0, 1). */
export interface InitRng {
  uniform(): number;
}
