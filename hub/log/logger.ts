import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths that may carry secrets or personal data; pino replaces their values before
 * the line is written. Components add their own through `extraRedactPaths`.
 */
const REDACTED_PATHS = [
  'password', '*.password', 'sasl', '*.sasl', 'token', '*.token', 'authorization', '*.authorization',
  'headers.authorization', 'req.headers.authorization', 'req.headers["x-operator-token"]',
  'email', '*.email', 'phone', '*.phone', 'customer.name', '*.customerName', '*.billingAddress', '*.shippingAddress',
  'payload', '*.payload',
];

/**
 * The root logger of a process: pino JSON to stdout, quiet (`info`) by default,
 * `LOG_LEVEL` overrides. Components take a child: `rootLogger.child({ component: 'registry' })`.
 */
export function createLogger(name: string, options: LoggerOptions & { extraRedactPaths?: string[] } = {}): Logger {
  const { extraRedactPaths = [], ...rest } = options;
  return pino({
    name,
    level: process.env.LOG_LEVEL ?? 'info',
    redact: { paths: [...REDACTED_PATHS, ...extraRedactPaths], censor: '[redacted]' },
    base: { pid: process.pid },
    ...rest,
  });
}
