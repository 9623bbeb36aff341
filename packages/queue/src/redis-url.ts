// The --queue URL: redis://[[user]:password@]host[:port][/db][?queue=NAME] (rediss:// for TLS). One
// queue holds one sweep; another sweep at the same time goes to another database number or queue name.
import { QueueError } from './errors';

export interface RedisTarget {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly username?: string;
  readonly password?: string;
  readonly tls: boolean;
  /** The BullMQ queue name (default 'skipinit'). */
  readonly queue: string;
  /** The URL with the password replaced by '***', for messages. */
  readonly shown: string;
}

export const DEFAULT_QUEUE_NAME = 'skipinit';
const QUEUE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

function bad(url: string, why: string): QueueError {
  return new QueueError('queue/bad-url', `--queue '${url}': ${why} (expected redis://HOST:PORT[/DB][?queue=NAME])`);
}

/** Parses the URL; throws QueueError('queue/bad-url') saying what is wrong. */
export function parseRedisUrl(url: string): RedisTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw bad(url, 'not a URL');
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw bad(url, `the scheme is '${u.protocol.replace(/:$/, '')}', not redis or rediss`);
  if (u.hostname === '') throw bad(url, 'no host');
  const port = u.port === '' ? 6379 : Number(u.port);
  const path = u.pathname.replace(/^\//, '');
  if (path !== '' && !/^\d{1,2}$/.test(path)) throw bad(url, `the database '${path}' is not a number from 0 to 99`);
  const queue = u.searchParams.get('queue') ?? DEFAULT_QUEUE_NAME;
  if (!QUEUE_NAME.test(queue)) throw bad(url, `the queue name '${queue}' may hold only letters, digits, '_', '.' and '-'`);
  for (const key of u.searchParams.keys()) if (key !== 'queue') throw bad(url, `unknown parameter '${key}'`);
  const shownUrl = new URL(u.href);
  if (shownUrl.password !== '') shownUrl.password = '***';
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    db: path === '' ? 0 : Number(path),
    ...(u.username !== '' ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password !== '' ? { password: decodeURIComponent(u.password) } : {}),
    tls: u.protocol === 'rediss:',
    queue,
    shown: shownUrl.href,
  };
}
