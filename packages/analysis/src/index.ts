// @skipinit/analysis: Signal propagation at initialisation, sweeps, result tables and plots.
export {};
