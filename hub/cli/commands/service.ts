import { Command, InvalidArgumentError } from 'commander';
import type { Database } from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import type { Outbox } from '../../service/index.js';

/** The three systems that ship with Switchboard. */
export const SERVICE_NAMES = ['crm', 'erp', 'scm'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** A started service: its app, database and outbox (the outbox relay attaches to `outbox`). */
export interface RunningService {
  app: FastifyInstance;
  db: Database;
  outbox: Outbox;
  address: string;
}

/**
 * Starts one service from environment variables (`<NAME>_PORT`, `<NAME>_HOST`, `<NAME>_DB_PATH`).
 * The services are loaded lazily, so the CLI loads only the one it runs.
 */
export async function startService(name: ServiceName, env: NodeJS.ProcessEnv = process.env): Promise<RunningService> {
  switch (name) {
    case 'crm': return (await import('../../../services/crm/start.js')).startCrm(env);
    case 'erp': return (await import('../../../services/erp/start.js')).startErp(env);
    case 'scm': return (await import('../../../services/scm/start.js')).startScm(env);
  }
}

function serviceName(value: string): ServiceName {
  if (!(SERVICE_NAMES as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${SERVICE_NAMES.join(', ')}`);
  return value as ServiceName;
}

/**
 * `switchboard service crm|erp|scm`: runs one system's HTTP API (ports 3001/3002/3003) with its
 * SQLite database until SIGINT/SIGTERM. Flags override `<NAME>_PORT`, `<NAME>_HOST`, `<NAME>_DB_PATH`.
 */
export function registerServiceCommand(program: Command): void {
  program
    .command('service')
    .description('run one of the shipped systems: crm (3001), erp (3002) or scm (3003)')
    .argument('<name>', 'crm, erp or scm', serviceName)
    .option('--port <port>', 'listen port (<NAME>_PORT)')
    .option('--host <host>', 'listen address (<NAME>_HOST, default 127.0.0.1)')
    .option('--db <path>', 'SQLite database file (<NAME>_DB_PATH, default .switchboard/data/<name>.db)')
    .action(async (name: ServiceName, flags: { port?: string; host?: string; db?: string }) => {
      const upper = name.toUpperCase();
      const env = {
        ...process.env,
        ...(flags.port ? { [`${upper}_PORT`]: flags.port } : {}),
        ...(flags.host ? { [`${upper}_HOST`]: flags.host } : {}),
        ...(flags.db ? { [`${upper}_DB_PATH`]: flags.db } : {}),
      };
      const service = await startService(name, env);
      process.stdout.write(`${name} listening on ${service.address} (docs: ${service.address}/docs)\n`);
    });
}
