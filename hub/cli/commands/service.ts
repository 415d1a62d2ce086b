import { Command, InvalidArgumentError } from 'commander';
import { SYSTEM_NAMES, isSystemName, systemSpec, systemVariables, type SystemName } from '../../../catalogue/index.js';
import type { SystemParts } from '../system-parts.js';

function serviceName(value: string): SystemName {
  if (!isSystemName(value)) throw new InvalidArgumentError(`must be one of ${SYSTEM_NAMES.join(', ')}`);
  return value;
}

const SYSTEM_LIST = SYSTEM_NAMES.map((name) => `${name} (${systemSpec(name).defaultPort})`).join(', ');

/**
 * `switchboard service <system>`: runs one system's HTTP API (on its catalogue port) with its
 * SQLite database until SIGINT/SIGTERM. Flags override `<NAME>_PORT`, `<NAME>_HOST`, `<NAME>_DB_PATH`.
 */
export function registerServiceCommand(program: Command, parts: Pick<SystemParts, 'startService'>): void {
  program
    .command('service')
    .description(`run one of the shipped systems: ${SYSTEM_LIST}`)
    .argument('<name>', SYSTEM_NAMES.join(', '), serviceName)
    .option('--port <port>', 'listen port (<NAME>_PORT)')
    .option('--host <host>', 'listen address (<NAME>_HOST, default 127.0.0.1)')
    .option('--db <path>', 'SQLite database file (<NAME>_DB_PATH, default .switchboard/data/<name>.db)')
    .action(async (name: SystemName, flags: { port?: string; host?: string; db?: string }) => {
      const variables = systemVariables(name);
      const env = {
        ...process.env,
        ...(flags.port ? { [variables.port]: flags.port } : {}),
        ...(flags.host ? { [variables.host]: flags.host } : {}),
        ...(flags.db ? { [variables.dbPath]: flags.db } : {}),
      };
      const service = await parts.startService(name, env);
      process.stdout.write(`${name} listening on ${service.address} (docs: ${service.address}/docs)\n`);
    });
}
