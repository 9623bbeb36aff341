// @skipinit/trainer: SGD, schedules, the training loop, metrics, divergence detection, run directories, safetensors checkpoints and exact resume.
export {};
