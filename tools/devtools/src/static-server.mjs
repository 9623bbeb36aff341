// A tiny static file server on a free loopback port, for the browser tests: serves a built page, by
// default with the headers that make it cross-origin isolated (COOP/COEP), as `npm run playground` does.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { URL } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
};

export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

function fileFor(root, url) {
  const path = decodeURIComponent(new URL(url ?? '/', 'http://x').pathname);
  const file = normalize(join(root, path));
  if (file !== root && !file.startsWith(root + sep)) return null;
  return existsSync(file) && statSync(file).isDirectory() ? join(file, 'index.html') : file;
}

export async function serveStatic(folder, options = {}) {
  const root = normalize(folder);
  const server = createServer((req, res) => {
    const file = fileFor(root, req.url);
    if (file === null || !existsSync(file)) {
      res.writeHead(file === null ? 403 : 404).end();
      return;
    }
    const headers = { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' };
    res.writeHead(200, options.isolated === false ? headers : { ...headers, ...ISOLATION_HEADERS });
    createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
