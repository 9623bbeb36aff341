// The compile worker: answers each compile request with diagnostics and the summary.
import type { CompileRequest } from '../protocol';
import { compileForPage } from './compile-spec';

self.onmessage = (event: MessageEvent<CompileRequest>) => {
  const m = event.data;
  if (m.type === 'compile') self.postMessage(compileForPage(m.id, m.source));
};
