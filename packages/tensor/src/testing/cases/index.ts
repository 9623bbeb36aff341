// Every conformance case, as data.

import type { OpCase } from '../case';
import { elementwiseCases } from './elementwise';
import { movementCases } from './movement';
import { nnCases } from './nn';
import { reduceCasesAll } from './reduce';

export const conformanceCases: readonly OpCase[] = [...elementwiseCases, ...reduceCasesAll, ...movementCases, ...nnCases];
