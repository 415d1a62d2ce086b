import { Redis } from 'ioredis';
import { z } from 'zod';
import { loadConfig } from '../config/load-config.js';
import type { Logger } from '../log/logger.js';

export type { Redis } from 'ioredis';

/** The default Redis of the local stack. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** Reads `REDIS_URL` (validated). */
export function loadRedisUrl(env: NodeJS.ProcessEnv = process.env): string {
  return loadConfig(
    'redis',
    {
      REDIS_URL: z
        .string()
        .regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379')
        .default(DEFAULT_REDIS_URL)
        .describe('Redis used for cross-references, idempotency keys, control and status'),
    },
    env,
  ).REDIS_URL;
}

/** How long one Redis command may take before it fails (and is retried by its caller): no await on Redis hangs forever. */
export const REDIS_COMMAND_TIMEOUT_MS = 5000;

/**
 * A Redis client that keeps retrying its connection (Redis restarts must not kill a worker)
 * and logs a lost connection once per outage instead of once per attempt. A command fails
 * instead of waiting forever: after 3 reconnection attempts while Redis is away
 * (`maxRetriesPerRequest`), or after {@link REDIS_COMMAND_TIMEOUT_MS} on a connection that
 * stopped answering (a half-open socket, a paused server). Commands are auto-pipelined (one
 * write, one round trip per event-loop turn); each still settles on its own.
 */
export function createRedis(url: string, logger: Logger, name = 'switchboard'): Redis {
  const redis = new Redis(url, {
    connectionName: name,
    maxRetriesPerRequest: 3,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    // Commands issued in the same event-loop turn go out in one write: the worker's events each
    // send a few commands, and one socket write per command was 14 % of its CPU under load.
    enableAutoPipelining: true,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.warn({ err: error }, 'redis connection lost; retrying');
  });
  redis.on('ready', () => {
    if (down) logger.info('redis connection restored');
    down = false;
  });
  return redis;
}

/** Prefixes every Switchboard key, so a test run's keys never meet another's. */
export function stateKey(namespace: string, ...parts: string[]): string {
  return `${namespace}switchboard:${parts.join(':')}`;
}
