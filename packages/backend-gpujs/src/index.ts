// @skipinit/backend-gpujs: The execution engine: every tensor op as gpu.js kernels, in gpu.js's webasm, cpu, headlessgl and webgpu modes.
export {};
