import { Command, InvalidArgumentError } from 'commander';
import { SERVICE_NAMES, type ServiceName, type SystemParts } from '../system-parts.js';

function serviceName(value: string): ServiceName {
  if (!(SERVICE_NAMES as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${SERVICE_NAMES.join(', ')}`);
  return value as ServiceName;
}

/**
 * `switchboard service crm|erp|scm`: runs one system's HTTP API (ports 3001/3002/3003) with its
 * SQLite database until SIGINT/SIGTERM. Flags override `<NAME>_PORT`, `<NAME>_HOST`, `<NAME>_DB_PATH`.
 */
export function registerServiceCommand(program: Command, parts: Pick<SystemParts, 'startService'>): void {
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
      const service = await parts.startService(name, env);
      process.stdout.write(`${name} listening on ${service.address} (docs: ${service.address}/docs)\n`);
    });
}
