// Yield to the event loop between training steps, so that a Ctrl-C handler (Node) or a page's stop
// message (a Web Worker) can run. Node's setImmediate where there is one; elsewhere a MessageChannel
// message, which (unlike setTimeout) is not clamped to 4 ms when nested.

/** A page's MessagePort, as far as used here (Node's types describe worker_threads' port). */
type PagePort = { onmessage: (() => void) | null; close(): void; postMessage(message: unknown): void };

export function nextTurn(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise<void>((resolve) => setImmediate(resolve));
  return new Promise<void>((resolve) => {
    const channel = new MessageChannel();
    const [receiver, sender] = [channel.port1, channel.port2] as unknown as [PagePort, PagePort];
    receiver.onmessage = () => {
      receiver.close();
      resolve();
    };
    sender.postMessage(null);
  });
}
