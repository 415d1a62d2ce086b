import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { systemSpec, systemVariables, type SystemName } from '../../catalogue/index.js';
import { loadConfig, port } from '../config/load-config.js';

/** Where a service keeps its database unless `<NAME>_DB_PATH` says otherwise. */
export function defaultDbPath(name: string): string {
  return join(process.cwd(), '.switchboard', 'data', `${name}.db`);
}

/**
 * Port, host and database path of a service, from `<NAME>_PORT` (default: the catalogue's port),
 * `<NAME>_HOST` and `<NAME>_DB_PATH`.
 *
 * @example
 * ```ts
 * loadServiceConfig('erp', {}).port; // 3002
 * ```
 */
export function loadServiceConfig(name: SystemName, env: NodeJS.ProcessEnv = process.env): { port: number; host: string; dbPath: string } {
  const variables = systemVariables(name);
  const { title, defaultPort } = systemSpec(name);
  const config = loadConfig(
    `${name} service`,
    {
      [variables.port]: port.default(defaultPort).describe(`TCP port of the ${title} API`),
      [variables.host]: z.string().min(1).default('127.0.0.1').describe('interface to listen on, e.g. 0.0.0.0'),
      [variables.dbPath]: z.string().min(1).default(defaultDbPath(name)).describe('SQLite database file'),
    },
    env,
  ) as Record<string, unknown>;
  return { port: config[variables.port] as number, host: config[variables.host] as string, dbPath: config[variables.dbPath] as string };
}

/**
 * Listens and, on SIGINT/SIGTERM, runs `beforeClose` (e.g. stop the outbox relay) and closes
 * the app (and so the database). Returns the address.
 */
export async function listenUntilSignal(app: FastifyInstance, port: number, host: string, beforeClose?: () => Promise<void>): Promise<string> {
  const address = await app.listen({ port, host });
  const stop = (): void => {
    void (beforeClose ? beforeClose() : Promise.resolve())
      .catch((error: unknown) => app.log.error({ err: error }, 'shutdown step failed'))
      .then(() => app.close())
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return address;
}
