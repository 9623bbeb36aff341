// The optimiser statements: sgd, adam, adamw (and `optimizer NAME`), their options, and clip_grad_norm.
import { resolveTrainSpec } from '@skipinit/graph';
import { describe, expect, it } from 'vitest';
import { compile } from './compile';

const spec = (line: string) => `model m {\n  input 4\n  dense 3\n}\ntrain {\n  data blobs, batch=8\n  ${line}\n  steps 10\n}\n`;
const train = (line: string, overrides: Record<string, string> = {}) => {
  const r = compile(spec(line), { file: 't.arch', overrides });
  expect(r.errors.map((e) => e.message)).toEqual([]);
  return r.train!;
};
const errors = (line: string, overrides: Record<string, string> = {}) => compile(spec(line), { file: 't.arch', overrides }).errors.map((e) => `${e.code}: ${e.message}`);

describe('optimiser statements', () => {
  it("adam and adamw take PyTorch's defaults; sgd keeps its own; clip_grad_norm on any of them", () => {
    expect(resolveTrainSpec(train('adam')).optimizer).toEqual({ name: 'adam', lr: 0.001, momentum: 0, nesterov: false, weightDecay: 0, decay: 'all', beta1: 0.9, beta2: 0.999, eps: 1e-8 });
    expect(resolveTrainSpec(train('adamw lr=3e-4, beta2=0.98, clip_grad_norm=1')).optimizer).toMatchObject({ name: 'adamw', lr: 3e-4, weightDecay: 0.01, beta2: 0.98, clipGradNorm: 1 });
    expect(resolveTrainSpec(train('optimizer adam, eps=1e-6')).optimizer).toMatchObject({ name: 'adam', eps: 1e-6 });
    const sgd = resolveTrainSpec(train('sgd lr=0.1, momentum=0.9, clip_grad_norm=5')).optimizer;
    expect(sgd).toEqual({ name: 'sgd', lr: 0.1, momentum: 0.9, nesterov: false, weightDecay: 0, decay: 'all', clipGradNorm: 5 });
    // an SGD recipe without clipping resolves exactly as before Adam existed (its runs' hashes are unchanged)
    expect(Object.keys(resolveTrainSpec(train('sgd lr=0.1')).optimizer)).toEqual(['name', 'lr', 'momentum', 'nesterov', 'weightDecay', 'decay']);
  });

  it('--set switches the optimiser and its settings', () => {
    expect(train('sgd lr=0.1', { optimizer: 'adamw', lr: '0.002' }).optimizer).toMatchObject({ name: 'adamw', lr: 0.002 });
    expect(train('adam', { beta1: '0.5', clip_grad_norm: '2' }).optimizer).toMatchObject({ name: 'adam', beta1: 0.5, clipGradNorm: 2 });
  });

  it("refuses one optimiser's options on the other, and bad values", () => {
    expect(errors('adam momentum=0.9')).toEqual(["sem/unknown-option: adam has no option 'momentum'"]);
    expect(errors('sgd beta1=0.9')[0]).toMatch(/^sem\/unknown-option: sgd has no option 'beta1'/);
    expect(errors('optimizer adam, momentum=0.9')).toEqual(['sem/conflicting-options: momentum is an option of sgd, not of adam']);
    expect(errors('sgd lr=0.1', { beta2: '0.9' })).toEqual(['sem/conflicting-options: beta2 is an option of adam and adamw, not of sgd']);
    expect(errors('adam beta2=1')[0]).toMatch(/^sem\/out-of-range: beta2/);
    expect(errors('adamw clip_grad_norm=0')[0]).toMatch(/^sem\/out-of-range: clip_grad_norm/);
    expect(errors('adam lr=0.1\n  sgd lr=0.1')[0]).toMatch(/^sem\/duplicate-option: the train section has two 'sgd' statements/);
  });
});
