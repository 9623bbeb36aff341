// The queue as the enqueuing and watching commands hold it: a BullMQ Queue over a connection that retries
// forever and reports outages (connection.ts), closed together.
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ConnectionWatch } from './connection';
import { openRedis } from './connection';
import type { RedisTarget } from './redis-url';

export interface QueueHandle {
  readonly redis: Redis;
  readonly queue: Queue;
  close(): Promise<void>;
}

export function openQueue(target: RedisTarget, watch: ConnectionWatch = {}): QueueHandle {
  const redis = openRedis(target, watch);
  const queue = new Queue(target.queue, { connection: redis });
  return {
    redis,
    queue,
    async close() {
      await queue.close().catch(() => undefined);
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
