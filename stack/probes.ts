import { createConnection } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { Bus, type BusConfig } from '../hub/bus/index.js';
import { createLogger } from '../hub/log/logger.js';

// kafkajs logs every refused connection while a broker starts; probing expects those.
const silent = createLogger('stack-probe', { level: 'silent' });

/** True when something accepts TCP connections on host:port within `timeoutMs`. */
export function portAnswers(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (answer: boolean): void => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * One real metadata request: connects an admin client and describes the cluster. Resolves to
 * the broker node ids it reports, or throws what the client threw.
 */
export async function kafkaBrokerIds(config: BusConfig): Promise<number[]> {
  const admin = new Bus(config, silent, 'stack-probe').admin({ retries: 0 });
  try {
    await admin.connect();
    return await admin.brokerIds();
  } finally {
    await admin.close().catch(() => undefined);
  }
}

/** True when at least one `host:port` of the list accepts TCP connections. */
export async function anyAnswers(hostPorts: readonly string[]): Promise<boolean> {
  const answers = await Promise.all(
    hostPorts.map((hostPort) => {
      const at = hostPort.lastIndexOf(':');
      return portAnswers(Number(hostPort.slice(at + 1)), hostPort.slice(0, at));
    }),
  );
  return answers.includes(true);
}

/**
 * True when Kafka answers a metadata request and reports at least `expectedBrokers` brokers
 * (`config` carries TLS and SASL settings for a secure stack).
 */
export async function kafkaAnswers(config: BusConfig, expectedBrokers = 1): Promise<boolean> {
  // kafkajs retries a refused connection for seconds; a closed port is known in milliseconds.
  if (!(await anyAnswers(config.brokers))) return false;
  try {
    return (await kafkaBrokerIds(config)).length >= expectedBrokers;
  } catch {
    return false;
  }
}

/**
 * True when an HTTP GET of `url` on a local port answers 2xx within 2 s (a closed port is known
 * at once, without waiting for fetch's own connect timeout).
 *
 * @example
 * ```ts
 * await httpAnswers(9090, 'http://127.0.0.1:9090/-/ready'); // true once Prometheus is ready
 * ```
 */
export async function httpAnswers(port: number, url: string): Promise<boolean> {
  if (!(await portAnswers(port))) return false;
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

/** True when Redis at `url` answers PING with PONG. */
export async function redisAnswers(url: string): Promise<boolean> {
  // A failed ioredis connect leaves timers behind for a while; skip it when nothing listens.
  const { hostname, port } = new URL(url);
  if (!(await portAnswers(Number(port || 6379), hostname.replace(/^\[|\]$/g, '') || '127.0.0.1'))) return false;
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  // Without a listener ioredis reports connection errors as unhandled 'error' events.
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/**
 * Calls `check` until it resolves true or `timeoutMs` passes; `stillRunning` lets the wait end
 * early when the process being waited for has died. Resolves to whether it became true.
 */
export async function waitFor(
  check: () => Promise<boolean>,
  options: { timeoutMs: number; intervalMs?: number; stillRunning?: () => boolean },
): Promise<boolean> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline || (options.stillRunning && !options.stillRunning())) return false;
    await sleep(options.intervalMs ?? 500);
  }
}
