// What an initialiser draws from. A structural interface, so this package needs no tensor import:
// @skipinit/tensor's `Rng` satisfies it (and so does any seeded generator with these two methods).

/** A source of random numbers: `uniform()` in [0, 1), `normal()` standard normal. */
export interface InitRng {
  uniform(): number;
  normal(): number;
}
