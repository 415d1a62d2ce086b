import { z } from 'zod';
import { ConfigError } from '../errors/index.js';

/**
 * Reads configuration from environment variables once, at start-up, and freezes it.
 * Each schema key is the variable's name; a failure names every variable that is wrong
 * and what it should hold, so the user knows what to set.
 */
export function loadConfig<S extends z.ZodRawShape>(
  component: string,
  shape: S,
  env: NodeJS.ProcessEnv = process.env,
  crossChecks: (value: z.infer<z.ZodObject<S>>) => ConfigProblem[] = () => [],
): Readonly<z.infer<z.ZodObject<S>>> {
  const result = z.object(shape).safeParse(env);
  const problems: ConfigProblem[] = result.success
    ? crossChecks(result.data)
    : result.error.issues.map((issue) => ({ variable: issue.path.join('.'), message: issue.message }));
  if (problems.length > 0 || !result.success) {
    throw configError(component, problems.map(({ variable, message }) => {
      const description = (shape[variable] as z.ZodType | undefined)?.description;
      return { variable, message: `${message}${description ? ` (${description})` : ''}` };
    }));
  }
  return Object.freeze(result.data);
}

/**
 * The error of a configuration that cannot start, naming each variable to set: what
 * `loadConfig` throws, for checks it cannot make itself (e.g. a file a variable names).
 *
 * @example
 * ```ts
 * throw configError('worker', [{ variable: 'KAFKA_CONNECTOR_CREDENTIALS_FILE', message: 'must name a readable JSON file' }]);
 * ```
 */
export function configError(component: string, problems: readonly ConfigProblem[]): ConfigError {
  const lines = problems.map(({ variable, message }) => `  ${variable}: ${message}`);
  return new ConfigError(`${component}: invalid configuration. Set these environment variables:\n${lines.join('\n')}`);
}

/** A rule that spans variables, e.g. "a password is required when a SASL mechanism is set". */
export interface ConfigProblem {
  readonly variable: string;
  readonly message: string;
}

/** A comma-separated list of host:port pairs. */
export const hostPortList = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean))
  .refine((items) => items.every((item) => /^[^\s:]+:\d{1,5}$/.test(item)), {
    message: 'must be a comma-separated list of host:port, e.g. 127.0.0.1:9092',
  });

/** An environment flag: `true`/`1`/`yes` or `false`/`0`/`no`. */
export const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** A TCP port. */
export const port = z.coerce.number().int().min(1, 'must be a port between 1 and 65535').max(65535, 'must be a port between 1 and 65535');
