// The page's side of the workers: a compile client that answers each request with its own reply (older
// replies are dropped), and an engine client that forwards every reply to a listener.
import type { CompileReply, EngineReply, EngineRequest, PageMode } from '../protocol';

export class CompileClient {
  private readonly worker = new Worker(new URL('../worker/compile-worker.ts', import.meta.url), { type: 'module' });
  private nextId = 1;
  private readonly waiting = new Map<number, (r: CompileReply) => void>();

  constructor() {
    this.worker.onmessage = (e: MessageEvent<CompileReply>) => {
      const done = this.waiting.get(e.data.id);
      this.waiting.delete(e.data.id);
      done?.(e.data);
    };
  }

  compile(source: string): Promise<CompileReply> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.worker.postMessage({ type: 'compile', id, source });
    });
  }
}

export class EngineClient {
  private worker: Worker;

  constructor(
    private readonly mode: PageMode,
    private readonly onReply: (r: EngineReply) => void,
  ) {
    this.worker = this.start();
  }

  private start(): Worker {
    const w = new Worker(new URL('../worker/engine-worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (e: MessageEvent<EngineReply>) => this.onReply(e.data);
    w.onerror = (e) => this.onReply({ type: 'error', during: 'init', message: e.message || 'the engine worker failed to start' });
    const data = new URL('mnist/', document.baseURI).href;
    w.postMessage({ type: 'init', mode: this.mode, data } satisfies EngineRequest);
    return w;
  }

  send(m: EngineRequest): void {
    this.worker.postMessage(m);
  }

  /** Ends whatever the worker does (a stale analysis) and starts a fresh one with a new engine. */
  restart(): void {
    this.worker.terminate();
    this.worker = this.start();
  }
}
