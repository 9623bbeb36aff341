// Connections to Redis. `probeRedis` is the check at a command's start: one try, a few seconds, and an error
// that says what is wrong (nothing answers, not Redis, wrong password). `openRedis` is the connection a
// worker or a waiting sweep keeps: it retries forever (BullMQ needs maxRetriesPerRequest: null) and tells
// its listener once when Redis goes away and once when it is back.
import { Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';
import { QueueError } from './errors';
import type { RedisTarget } from './redis-url';

/** BullMQ needs Redis 5 or later (streams); 6.2 or later is what it is tested with. */
const MIN_MAJOR = 5;

function baseOptions(target: RedisTarget): RedisOptions {
  return {
    host: target.host,
    port: target.port,
    db: target.db,
    ...(target.username !== undefined ? { username: target.username } : {}),
    ...(target.password !== undefined ? { password: target.password } : {}),
    ...(target.tls ? { tls: {} } : {}),
  };
}

const AUTH = /WRONGPASS|NOAUTH|invalid password|invalid username-password|AUTH .*without any password/i;

/** The QueueError for what went wrong connecting to `target` (`message`: the first error ioredis saw). */
export function connectionError(target: RedisTarget, message: string): QueueError {
  if (AUTH.test(message)) {
    const hint = target.password === undefined ? 'it wants a password: redis://:PASSWORD@HOST:PORT' : 'the password (or user) in the URL is wrong';
    return new QueueError('queue/auth', `Redis at ${target.shown} refused the connection: ${message.trim()} (${hint})`);
  }
  if (/Protocol error/i.test(message)) return new QueueError('queue/unreachable', `what answers at ${target.shown} is not Redis (${message.trim()})`);
  return new QueueError('queue/unreachable', `cannot reach Redis at ${target.shown}: ${message.trim()}`);
}

/** Connects once (within `timeoutMs`), checks the server is Redis >= 5, and disconnects; throws QueueError. */
export async function probeRedis(target: RedisTarget, timeoutMs = 5000): Promise<{ version: string }> {
  const redis = new Redis({ ...baseOptions(target), lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: timeoutMs, enableOfflineQueue: false });
  let first: string | null = null;
  redis.on('error', (e: Error) => (first ??= e.message));
  try {
    await redis.connect();
    const info = await redis.info('server');
    const version = /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
    if (Number.parseInt(version, 10) < MIN_MAJOR) throw new QueueError('queue/unreachable', `Redis at ${target.shown} is version ${version}; the queue needs ${MIN_MAJOR} or later`);
    return { version };
  } catch (e) {
    if (e instanceof QueueError) throw e;
    throw connectionError(target, first ?? (e as Error).message);
  } finally {
    redis.disconnect();
  }
}

/** Redis going away and coming back, as a long-lived connection sees it. */
export interface ConnectionWatch {
  readonly onDown?: (message: string) => void;
  readonly onUp?: () => void;
  /** Another error a BullMQ object reported (not a lost connection: those are onDown). */
  readonly onWarning?: (message: string) => void;
}

/** Errors that mean the connection is gone (as opposed to a command's own error). */
export function isConnectionLoss(e: Error): boolean {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  return ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN'].includes(code) || /Connection is closed|connect ETIMEDOUT|Socket closed/i.test(e.message);
}

/** A connection that retries forever (every 0.2 s, backing off to 2 s) and reports outages once each. */
export function openRedis(target: RedisTarget, watch: ConnectionWatch = {}): Redis {
  const redis = new Redis({ ...baseOptions(target), maxRetriesPerRequest: null, retryStrategy: (times) => Math.min(200 * times, 2000) });
  let down = false;
  redis.on('error', (e: Error) => {
    if (down || !isConnectionLoss(e)) return;
    down = true;
    watch.onDown?.(e.message);
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    watch.onUp?.();
  });
  return redis;
}
