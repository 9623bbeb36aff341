// The queue as the enqueuing and watching commands hold it: a BullMQ Queue over a connection that retries
// forever and reports outages (connection.ts), closed together.
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ConnectionWatch } from './connection';
import { isConnectionLoss, openRedis } from './connection';
import type { RedisTarget } from './redis-url';

export interface QueueHandle {
  readonly redis: Redis;
  readonly queue: Queue;
  close(): Promise<void>;
}

export function openQueue(target: RedisTarget, watch: ConnectionWatch = {}): QueueHandle {
  const redis = openRedis(target, watch);
  const queue = new Queue(target.queue, { connection: redis });
  // a lost connection is reported once by the connection's watch; BullMQ reports it again here
  queue.on('error', (e: Error) => (isConnectionLoss(e) ? undefined : watch.onWarning?.(e.message)));
  return {
    redis,
    queue,
    async close() {
      await queue.close().catch(() => undefined);
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
