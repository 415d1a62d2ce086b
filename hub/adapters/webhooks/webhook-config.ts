import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { loadConfig, port } from '../../config/load-config.js';
import { PROJECT_ROOT } from '../../config/project-root.js';

/** Where `switchboard webhooks` listens, stores and finds its sources. */
export interface WebhooksConfig {
  readonly port: number;
  readonly host: string;
  /** The SQLite store (outbox and deliveries). */
  readonly dbPath: string;
  /** The folder of source files (`<name>.yaml`). */
  readonly dir: string;
}

/** The default folder of webhook source files: `webhooks/` of the project. */
export const DEFAULT_WEBHOOKS_DIR = join(PROJECT_ROOT, 'webhooks');

/**
 * `WEBHOOKS_PORT` (3010), `WEBHOOKS_HOST` (127.0.0.1), `WEBHOOKS_DB_PATH`
 * (`.switchboard/data/webhooks.db` below the working directory) and `WEBHOOKS_DIR` (`webhooks/`).
 *
 * @example
 * ```ts
 * loadWebhooksConfig({ WEBHOOKS_PORT: '8443' }).port; // 8443
 * ```
 */
export function loadWebhooksConfig(env: NodeJS.ProcessEnv = process.env): WebhooksConfig {
  const config = loadConfig('webhooks', {
    WEBHOOKS_PORT: port.default(3010).describe('TCP port of the webhook endpoint'),
    WEBHOOKS_HOST: z.string().min(1).default('127.0.0.1').describe('interface to listen on, e.g. 0.0.0.0 behind a TLS-terminating proxy'),
    WEBHOOKS_DB_PATH: z.string().min(1).default(join(process.cwd(), '.switchboard', 'data', 'webhooks.db')).describe('SQLite file of the webhook outbox and deliveries'),
    WEBHOOKS_DIR: z.string().min(1).default(DEFAULT_WEBHOOKS_DIR).describe('folder of the webhook source files (<name>.yaml)'),
  }, env);
  return { port: config.WEBHOOKS_PORT, host: config.WEBHOOKS_HOST, dbPath: config.WEBHOOKS_DB_PATH, dir: config.WEBHOOKS_DIR };
}

/** True when the source folder holds at least one source file (`switchboard up` then starts `switchboard webhooks`). */
export function webhooksConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  const { dir } = loadWebhooksConfig(env);
  return existsSync(dir) && readdirSync(dir).some((name) => /\.ya?ml$/.test(name));
}
