import { DATASET_NAMES as DATA_NAMES } from '@skipinit/data';
import { DATASET_NAMES as GRAPH_NAMES } from '@skipinit/graph';
import { expect, it } from 'vitest';

it("graph's vocabulary and data's loaders name the data sets alike (a spec's name is the loader's)", () => {
  expect([...DATA_NAMES]).toEqual([...GRAPH_NAMES]);
});
