// @skipinit/queue/testing: what tests of the queue need (here and in the CLI's tests): a real redis-server.
export { freePort, startRedisServer } from './redis-server';
export type { RedisServer, RedisServerOptions } from './redis-server';
