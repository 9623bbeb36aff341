// @skipinit/random: the workspace's one seeded generator (xoshiro128** 1.1) and its Fisher-Yates shuffle.
// Imports nothing; @skipinit/tensor and @skipinit/data build their Rngs on it.
export { Xoshiro128, invalidWords, shuffle, type Words } from './xoshiro128';
