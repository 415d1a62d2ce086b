import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { loadConfig, port } from '../config/load-config.js';

/** Where a service keeps its database unless `<NAME>_DB_PATH` says otherwise. */
export function defaultDbPath(name: string): string {
  return join(process.cwd(), '.switchboard', 'data', `${name}.db`);
}

/** Port, host and database path of a service, from `<NAME>_PORT`, `<NAME>_HOST`, `<NAME>_DB_PATH`. */
export function loadServiceConfig(name: string, defaultPort: number, env: NodeJS.ProcessEnv = process.env): { port: number; host: string; dbPath: string } {
  const upper = name.toUpperCase();
  const config = loadConfig(
    `${name} service`,
    {
      [`${upper}_PORT`]: port.default(defaultPort).describe(`TCP port of the ${name.toUpperCase()} API`),
      [`${upper}_HOST`]: z.string().min(1).default('127.0.0.1').describe('interface to listen on, e.g. 0.0.0.0'),
      [`${upper}_DB_PATH`]: z.string().min(1).default(defaultDbPath(name)).describe('SQLite database file'),
    },
    env,
  ) as Record<string, unknown>;
  return { port: config[`${upper}_PORT`] as number, host: config[`${upper}_HOST`] as string, dbPath: config[`${upper}_DB_PATH`] as string };
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
