import { describe, expect, test } from 'vitest';
import { QueueError } from './errors';
import { parseRedisUrl } from './redis-url';

describe('parseRedisUrl', () => {
  test('host, port, database, credentials and queue name; the password is hidden in `shown`', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6380')).toMatchObject({ host: '127.0.0.1', port: 6380, db: 0, tls: false, queue: 'skipinit' });
    expect(parseRedisUrl('redis://queue.lab')).toMatchObject({ host: 'queue.lab', port: 6379 });
    const t = parseRedisUrl('rediss://alice:s%40cret@[::1]:7000/3?queue=depth-sweep');
    expect(t).toMatchObject({ host: '::1', port: 7000, db: 3, username: 'alice', password: 's@cret', tls: true, queue: 'depth-sweep' });
    expect(t.shown).toBe('rediss://alice:***@[::1]:7000/3?queue=depth-sweep');
    expect(parseRedisUrl('redis://:pw@h:1').password).toBe('pw');
  });

  test.each([
    ['localhost:6379', /not a URL|scheme/],
    ['http://h:1', /the scheme is 'http'/],
    ['redis://h:1/x', /the database 'x'/],
    ['redis://h:1/0?queue=a:b', /queue name 'a:b'/],
    ['redis://h:1/0?db=2', /unknown parameter 'db'/],
  ])('%s is refused: %s', (url, why) => {
    let error: unknown;
    try {
      parseRedisUrl(url);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(QueueError);
    expect((error as QueueError).code).toBe('queue/bad-url');
    expect((error as Error).message).toMatch(why);
    expect((error as Error).message).toContain(`'${url}'`);
  });
});
