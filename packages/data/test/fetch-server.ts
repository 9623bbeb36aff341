// A file server on loopback for the fetch tests: serves byte buffers by path, honours `Range: bytes=N-`
// (206), and can cut a response short once (to stand for a dropped connection) or ignore ranges (200).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestServer {
  readonly base: string;
  /** Every request: its path and Range header. */
  readonly requests: { path: string; range: string | undefined }[];
  /** Cut the next response to this path after this many bytes. */
  dropOnce(path: string, afterBytes: number): void;
  ignoreRanges: boolean;
  close(): Promise<void>;
}

export async function serveFiles(files: Readonly<Record<string, Uint8Array>>): Promise<TestServer> {
  const drops = new Map<string, number>();
  const requests: TestServer['requests'] = [];
  const state = { ignoreRanges: false };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push({ path, range: req.headers.range });
    const body = files[path];
    if (!body) {
      res.writeHead(404, 'Not Found').end();
      return;
    }
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = m && !state.ignoreRanges ? Number(m[1]) : 0;
    if (start >= body.length && m) {
      res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
      return;
    }
    const slice = body.subarray(start);
    const head: Record<string, string | number> = { 'content-length': slice.length, 'content-type': 'application/octet-stream' };
    if (m && !state.ignoreRanges) head['content-range'] = `bytes ${start}-${body.length - 1}/${body.length}`;
    res.writeHead(m && !state.ignoreRanges ? 206 : 200, head);
    const drop = drops.get(path);
    if (drop !== undefined) {
      drops.delete(path);
      // the bytes reach the client, then the connection breaks mid-body
      res.write(slice.subarray(0, drop), () => setTimeout(() => res.socket?.destroy(), 100));
      return;
    }
    res.end(slice);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    dropOnce: (path, after) => void drops.set(path, after),
    get ignoreRanges() {
      return state.ignoreRanges;
    },
    set ignoreRanges(v: boolean) {
      state.ignoreRanges = v;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
