// The view in the URL, so that a link reproduces it: the spec text, the schemes of the plot and the
// engine mode when it is not 'auto', in the fragment (never sent to a server):
// #schemes=plain,bn,skipinit&engine=webasm&spec=<the spec, percent-encoded>.
import { PAGE_MODES, PAGE_SCHEMES } from '../protocol';
import type { PageMode, PageScheme } from '../protocol';

export interface ViewState {
  readonly spec: string;
  readonly schemes: readonly PageScheme[];
  /** The engine mode asked for (absent: 'auto'). */
  readonly engine?: PageMode;
}

export const DEFAULT_SCHEMES: readonly PageScheme[] = ['plain', 'bn', 'skipinit'];

export function encodeView(view: ViewState): string {
  const params = new URLSearchParams();
  params.set('schemes', view.schemes.join(','));
  if (view.engine !== undefined && view.engine !== 'auto') params.set('engine', view.engine);
  params.set('spec', view.spec);
  return `#${params.toString()}`;
}

/** The engine mode a fragment asks for ('auto' when it names none or an unknown one). */
export function engineOf(hash: string): PageMode {
  const asked = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash).get('engine');
  return (PAGE_MODES as readonly (string | null)[]).includes(asked) ? (asked as PageMode) : 'auto';
}

/** The view a fragment describes; null when it holds no spec. Unknown scheme names are dropped. */
export function decodeView(hash: string): ViewState | null {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const spec = params.get('spec');
  if (spec === null) return null;
  const listed = (params.get('schemes') ?? '').split(',').filter((s): s is PageScheme => (PAGE_SCHEMES as readonly string[]).includes(s));
  const engine = engineOf(hash);
  return { spec, schemes: params.has('schemes') ? [...new Set(listed)] : DEFAULT_SCHEMES, ...(engine === 'auto' ? {} : { engine }) };
}
