import { describe, expect, it } from 'vitest';
import { closestNames, editDistance } from './closest-names';
import {
  INIT_NAMES,
  NODE_KINDS,
  RESIDUAL_SCHEME_NAMES,
  VOCABULARY,
  WEIGHT_INIT_NAMES,
  isInitName,
  isNormName,
  isResidualSchemeName,
  isWeightInitName,
} from './vocabulary';

describe('vocabulary', () => {
  it('lists the issue\'s init names: weight initialisers then residual schemes', () => {
    expect(INIT_NAMES).toEqual([
      'he', 'he_uniform', 'xavier', 'xavier_uniform', 'lecun', 'zeros', 'orthogonal',
      'skipinit', 'fixup', 'scaled', 'plain', 'nf',
    ]);
    expect(new Set(INIT_NAMES).size).toBe(INIT_NAMES.length);
    for (const n of WEIGHT_INIT_NAMES) expect(isResidualSchemeName(n)).toBe(false);
    for (const n of RESIDUAL_SCHEME_NAMES) expect(isWeightInitName(n)).toBe(false);
  });

  it('guards accept exactly the members', () => {
    expect(isInitName('skipinit')).toBe(true);
    expect(isInitName('SkipInit')).toBe(false);
    expect(isInitName(3)).toBe(false);
    expect(isNormName('bn')).toBe(true);
    expect(isNormName('batchnorm')).toBe(false);
  });

  it('has no duplicate within any list', () => {
    for (const [key, list] of Object.entries(VOCABULARY)) expect(new Set(list).size, key).toBe(list.length);
    expect(new Set(NODE_KINDS).size).toBe(NODE_KINDS.length);
  });
});

describe('closestNames', () => {
  it('suggests the intended name for common typos', () => {
    expect(closestNames('skipint', INIT_NAMES)).toEqual(['skipinit']);
    expect(closestNames('skipnit', INIT_NAMES)[0]).toBe('skipinit');
    expect(closestNames('xaviar', INIT_NAMES)[0]).toBe('xavier');
    expect(closestNames('bm', VOCABULARY.norm)).toEqual(['bn']);
    expect(closestNames('cosin', VOCABULARY.schedule)).toEqual(['cosine']);
    expect(closestNames('cifar', VOCABULARY.data)).toEqual(['cifar10', 'cifar100']);
  });

  it('counts an adjacent transposition as one edit', () => {
    expect(editDistance('fixpu', 'fixup')).toBe(1);
    expect(editDistance('he', 'eh')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('returns an exact match alone, and nothing for a far name', () => {
    expect(closestNames('he', INIT_NAMES)).toEqual(['he']);
    expect(closestNames('transformer', INIT_NAMES)).toEqual([]);
  });

  it('is case-insensitive and limits the count', () => {
    expect(closestNames('SKIPINIT', INIT_NAMES)).toEqual(['skipinit']);
    expect(closestNames('he_', INIT_NAMES, { max: 1 })).toEqual(['he']);
  });
});
