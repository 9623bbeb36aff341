// @skipinit/data: Datasets to typed-array batches: MNIST, Fashion-MNIST, CIFAR-10/100, synthetic sets; seeded shuffling, batching and augmentation.
export {};
