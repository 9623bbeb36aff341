// Which WebGPU adapter to run on, and what to say about it: a hardware adapter first, then a software
// one; a software renderer is labelled as such, and auto-selection never trains on it instead of webasm
// (it computes correctly, far slower than WebAssembly on the same cores). Pure: dawn.ts asks Dawn for the
// candidates; tests give them as data.

/** What an adapter says about itself (GPUAdapterInfo's fields that matter here). */
export interface AdapterInfo {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  /** True for Dawn's own fallback adapters (SwiftShader); false or absent otherwise. */
  readonly isFallbackAdapter?: boolean;
}

export type FeatureLevel = 'core' | 'compatibility';

/** An adapter that answered, and how it was asked for. */
export interface AdapterCandidate {
  /** The Dawn backend the request went to ('Vulkan', 'OpenGL ES', 'Metal', 'D3D12'). */
  readonly backend: string;
  readonly featureLevel: FeatureLevel;
  readonly info: AdapterInfo;
}

export type AdapterKind = 'hardware' | 'software';

export const SOFTWARE_LABEL = 'software renderer: correct, not fast';

/** CPU implementations of GPU APIs, by the names they give (Mesa's, Google's, Microsoft's). */
const SOFTWARE_NAMES = /llvmpipe|lavapipe|softpipe|swiftshader|\bwarp\b|basic render driver|software/i;

/** Hardware or software, and what shows it. */
export function adapterKind(info: AdapterInfo): { kind: AdapterKind; why: string } {
  if (info.isFallbackAdapter === true) return { kind: 'software', why: "Dawn marks it a fallback adapter" };
  const text = [info.device, info.description, info.architecture, info.vendor].join(' ');
  const name = SOFTWARE_NAMES.exec(text);
  if (name !== null) return { kind: 'software', why: `'${name[0]}' is a CPU implementation` };
  return { kind: 'hardware', why: 'not a known software renderer' };
}

export interface AdapterChoice {
  readonly chosen: AdapterCandidate;
  readonly kind: AdapterKind;
  /** One line: which adapter, through what, why it was chosen; software ones carry SOFTWARE_LABEL. */
  readonly description: string;
  /** May `auto` train on it instead of webasm? Only on hardware. */
  readonly autoMayUse: boolean;
}

const rank = (c: AdapterCandidate): number => (adapterKind(c.info).kind === 'hardware' ? 0 : 2) + (c.featureLevel === 'core' ? 0 : 1);

/** The adapter's name as people know it: its device string, else its description, else its vendor. */
export function adapterName(info: AdapterInfo): string {
  return (info.device || info.description || info.vendor || 'an unnamed adapter').replace(/-+$/, '');
}

/**
 * Hardware before software, then the core feature level before compatibility, then the order asked
 * (`candidates` in the order Dawn was asked). `notFound` says which requests answered nothing, for the
 * description. Null when there is no candidate.
 */
export function chooseAdapter(candidates: readonly AdapterCandidate[], notFound: readonly string[] = []): AdapterChoice | null {
  if (candidates.length === 0) return null;
  const chosen = [...candidates].sort((a, b) => rank(a) - rank(b))[0]!;
  const { kind, why } = adapterKind(chosen.info);
  const detail = chosen.info.description && chosen.info.description !== chosen.info.device ? ` (${chosen.info.description})` : '';
  const head = `WebGPU adapter '${adapterName(chosen.info)}'${detail} via Dawn's ${chosen.backend} backend, ${chosen.featureLevel} feature level`;
  const others = notFound.length > 0 ? `; ${notFound.join('; ')}` : '';
  const because = kind === 'hardware' ? 'a hardware adapter' : `${SOFTWARE_LABEL} (${why}); chosen because no hardware adapter answered${others}`;
  return { chosen, kind, description: `${head}: ${because}`, autoMayUse: kind === 'hardware' };
}
