// A real redis-server for tests: on a free loopback port, with its files in a temporary directory that
// stop() removes. No persistence unless asked: `restart()` saves the data first (SAVE), stops the server
// and starts it again on the same port, as a Redis with persistence comes back after a restart.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

export interface RedisServer {
  readonly port: number;
  /** redis://127.0.0.1:PORT (with the password, when there is one). */
  readonly url: string;
  readonly dir: string;
  /** Stops it (no save) and removes its directory. */
  stop(): Promise<void>;
  /** Stops it without removing anything: Redis has gone away. With `save`, its data is written first. */
  halt(options?: { save?: boolean }): Promise<void>;
  /** Starts it again on the same port, loading what halt({ save: true }) wrote. */
  start(): Promise<void>;
}

export interface RedisServerOptions {
  readonly password?: string;
  /** The binary (default: $REDIS_SERVER, else redis-server on the PATH). */
  readonly binary?: string;
}

/** A free TCP port on 127.0.0.1 (the OS picks it; it is free right after this returns). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function launch(binary: string, port: number, dir: string, password: string | undefined): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', ...(password ? ['--requirepass', password] : [])];
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server did not start within 10 s on port ${port}:\n${out}`));
    }, 10_000);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      if (/Ready to accept connections/.test(out)) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot start '${binary}' (${e.message}); install Redis, e.g. apt-get install redis-server`));
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with code ${code} before it was ready:\n${out}`));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const binary = options.binary ?? process.env.REDIS_SERVER ?? 'redis-server';
  const dir = mkdtempSync(join(tmpdir(), 'skipinit-redis-'));
  const port = await freePort();
  let child: ChildProcess | null = await launch(binary, port, dir, options.password).catch((e: Error) => {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  });
  const halt = async ({ save = false } = {}): Promise<void> => {
    if (child === null) return;
    const c = child;
    child = null;
    if (save) {
      const client = new Redis({ host: '127.0.0.1', port, password: options.password, lazyConnect: true, maxRetriesPerRequest: 1 });
      await client.connect();
      await client.save();
      client.disconnect();
    }
    c.kill('SIGKILL');
    await exited(c);
  };
  return {
    port,
    url: `redis://${options.password ? `:${encodeURIComponent(options.password)}@` : ''}127.0.0.1:${port}`,
    dir,
    halt,
    async start() {
      if (child === null) child = await launch(binary, port, dir, options.password);
    },
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
