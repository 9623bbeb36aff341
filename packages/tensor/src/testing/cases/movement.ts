// Conformance cases: reshape and friends, permute, expand, slice, pad, concat, stack.

import * as T from '../../index';
import { TOL } from '../case';
import type { OpCase } from '../case';

const m = (c: Omit<OpCase, 'tol'> & { tol?: OpCase['tol'] }): OpCase => ({ tol: TOL.exact, ...c });

export const movementCases: OpCase[] = [
  m({ name: 'reshape [7,13] -> [13,7]', op: 'reshape', inputs: [{ shape: [7, 13] }], run: ([x]) => T.reshape(x, [13, 7]) }),
  m({ name: 'reshape [2,3,4] -> [-1,4]', op: 'reshape', inputs: [{ shape: [2, 3, 4] }], run: ([x]) => T.reshape(x, [-1, 4]) }),
  m({ name: 'flatten [2,3,4,5] 1..', op: 'flatten', inputs: [{ shape: [2, 3, 4, 5] }], run: ([x]) => T.flatten(x, 1) }),
  m({ name: 'squeeze [7,1,13,1]', op: 'squeeze', inputs: [{ shape: [7, 1, 13, 1] }], run: ([x]) => T.squeeze(x) }),
  m({ name: 'unsqueeze [7,13] axis=-1', op: 'unsqueeze', inputs: [{ shape: [7, 13] }], run: ([x]) => T.unsqueeze(x, -1) }),
  m({ name: 'permute [2,3,4] (2,0,1)', op: 'permute', inputs: [{ shape: [2, 3, 4] }], run: ([x]) => T.permute(x, [2, 0, 1]) }),
  m({ name: 'permute [2,3,4,5] (0,2,3,1)', op: 'permute', inputs: [{ shape: [2, 3, 4, 5] }], run: ([x]) => T.permute(x, [0, 2, 3, 1]) }),
  m({ name: 'transpose [7,13]', op: 'transpose', inputs: [{ shape: [7, 13] }], run: ([x]) => T.transpose(x, 0, 1) }),
  m({ name: 't [7,13]', op: 't', inputs: [{ shape: [7, 13] }], run: ([x]) => T.t(x) }),
  m({ name: 'expand [7,1] -> [7,13]', op: 'expand', inputs: [{ shape: [7, 1] }], run: ([x]) => T.expand(x, [7, 13]), gradTol: TOL.sum(13) }),
  m({ name: 'expand [13] -> [2,7,13]', op: 'expand', inputs: [{ shape: [13] }], run: ([x]) => T.expand(x, [2, 7, 13]), gradTol: TOL.sum(14) }),
  m({ name: 'expand [3,1,1] -> [2,3,4,5]', op: 'expand', inputs: [{ shape: [3, 1, 1] }], run: ([x]) => T.expand(x, [2, 3, 4, 5]), gradTol: TOL.sum(40) }),
  m({ name: 'slice [7,13] [1,2] size [4,-1]', op: 'slice', inputs: [{ shape: [7, 13] }], run: ([x]) => T.slice(x, [1, 2], [4, -1]) }),
  m({ name: 'slice [2,3,4] [-1] (negative begin)', op: 'slice', inputs: [{ shape: [2, 3, 4] }], run: ([x]) => T.slice(x, [-1]) }),
  m({ name: 'narrow [7,13] dim=1 3..8', op: 'narrow', inputs: [{ shape: [7, 13] }], run: ([x]) => T.narrow(x, 1, 3, 5) }),
  m({ name: 'pad [7,13] [[1,2],[0,3]]', op: 'pad', inputs: [{ shape: [7, 13] }], run: ([x]) => T.pad(x, [[1, 2], [0, 3]]) }),
  m({
    name: 'pad [2,3,4,5] NCHW spatial value=-1.5',
    op: 'pad',
    inputs: [{ shape: [2, 3, 4, 5] }],
    run: ([x]) => T.pad(x, [[0, 0], [0, 0], [1, 1], [2, 0]], -1.5),
  }),
  m({
    name: 'concat [7,3],[7,5],[7,1] axis=1',
    op: 'concat',
    inputs: [{ shape: [7, 3] }, { shape: [7, 5] }, { shape: [7, 1] }],
    run: (xs) => T.concat(xs, 1),
  }),
  m({ name: 'concat [2,13],[5,13] axis=0', op: 'concat', inputs: [{ shape: [2, 13] }, { shape: [5, 13] }], run: (xs) => T.concat(xs, 0) }),
  m({ name: 'stack 3 x [7,13] axis=1', op: 'stack', inputs: [{ shape: [7, 13] }, { shape: [7, 13] }, { shape: [7, 13] }], run: (xs) => T.stack(xs, 1) }),
];
