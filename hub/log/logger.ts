import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { z } from 'zod';
import { loadConfig } from '../config/load-config.js';
import { redactionPaths } from './personal-data.js';

export type { Logger } from 'pino';

/**
 * Paths that may carry secrets or personal data (from the one list in personal-data.ts); pino
 * replaces their values before the line is written. Components add their own through
 * `extraRedactPaths`.
 */
const REDACTED_PATHS = redactionPaths();

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
type Level = (typeof LEVELS)[number];

/** `LOG_LEVEL`, validated; undefined when unset. */
export function loadLogLevel(env: NodeJS.ProcessEnv = process.env): Level | undefined {
  const shape = { LOG_LEVEL: z.enum(LEVELS).optional().describe(`pino level: ${LEVELS.join(', ')}`) };
  return loadConfig('logging', shape, env).LOG_LEVEL;
}

/**
 * The root logger of a process: pino JSON to stdout (or `destination`). The level is `options.level` when given,
 * else `LOG_LEVEL`, else `defaultLevel` (`info`: quiet when all is well). Components take a
 * child: `rootLogger.child({ component: 'registry' })`.
 *
 * @example
 * ```ts
 * const logger = createLogger('worker');
 * logger.child({ connector: 'crm-order-to-erp' }).warn({ event_id }, 'parked for retry');
 * ```
 */
export function createLogger(
  name: string,
  options: LoggerOptions & { extraRedactPaths?: string[]; defaultLevel?: Level } = {},
  destination?: DestinationStream,
): Logger {
  const { extraRedactPaths = [], defaultLevel = 'info', ...rest } = options;
  const settings: LoggerOptions = {
    name,
    level: loadLogLevel() ?? defaultLevel,
    redact: { paths: [...REDACTED_PATHS, ...extraRedactPaths], censor: '[redacted]' },
    base: { pid: process.pid },
    ...rest,
  };
  return destination ? pino(settings, destination) : pino(settings);
}
