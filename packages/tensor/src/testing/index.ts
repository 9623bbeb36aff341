// @skipinit/tensor/testing: the conformance suite for execution backends (cases as data, a runner, a
// vitest helper), central-difference gradient checking, and the memory test. Imports no test runner.

export { TOL, caseInputs, genValues } from './case';
export type { CaseContext, Gen, InputSpec, OpCase, Tolerance } from './case';
export { conformanceCases } from './cases';
export { compare } from './compare';
export type { Comparison } from './compare';
export { compareEvaluations, evaluateCase, formatResult, runCase, runConformance } from './run-conformance';
export type { CaseResult, ConformanceOptions, Evaluation } from './run-conformance';
export { describeConformance } from './describe-conformance';
export type { DescribeConformanceOptions, TestApi } from './describe-conformance';
export { gradcheck } from './gradcheck';
export type { GradcheckInput, GradcheckOptions, GradcheckResult } from './gradcheck';
export { runMemoryCheck } from './memory-check';
export type { MemoryCheckOptions, MemoryCheckResult, MemorySample } from './memory-check';
