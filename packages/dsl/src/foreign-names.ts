// Names people bring from other frameworks (PyTorch, Keras, TensorFlow.js) for things the vocabulary spells
// otherwise: `norm=batchnorm` means `norm=bn`, `init=kaiming` means `init=he`. Edit distance does not find
// these (batchnorm is 7 edits from bn), so an unknown name is looked up here first and "did you mean" offers
// our spelling. They stay suggestions, not aliases: a spec has one spelling for each thing.

/** Lower-case foreign name -> our name (a member of some vocabulary list). */
export const FOREIGN_NAMES: Readonly<Record<string, string>> = {
  // norms
  batchnorm: 'bn',
  batch_norm: 'bn',
  batchnorm2d: 'bn',
  batchnorm1d: 'bn',
  batchnormalization: 'bn',
  batch_normalization: 'bn',
  layernorm: 'ln',
  layer_norm: 'ln',
  layernormalization: 'ln',
  layer_normalization: 'ln',
  // weight initialisers
  he_normal: 'he',
  kaiming: 'he',
  kaiming_normal: 'he',
  kaiming_uniform: 'he_uniform',
  glorot: 'xavier',
  glorot_normal: 'xavier',
  xavier_normal: 'xavier',
  glorot_uniform: 'xavier_uniform',
  lecun_normal: 'lecun',
  zero: 'zeros',
  // data sets (torchvision's and Keras's spellings)
  fashionmnist: 'fashion_mnist',
  cifar_10: 'cifar10',
  cifar_100: 'cifar100',
  // optimisers and schedules
  cosineannealing: 'cosine',
  cosine_annealing: 'cosine',
  steplr: 'step',
  multisteplr: 'step',
};

/** Our spelling of `name` when it is a known foreign name whose meaning is in `list`; undefined otherwise. */
export function foreignName(name: string, list: readonly string[]): string | undefined {
  const ours = FOREIGN_NAMES[name.toLowerCase().replace(/-/g, '_')];
  return ours !== undefined && list.includes(ours) ? ours : undefined;
}
