import type { Command } from 'commander';
import { startAdminServer } from '../../admin/index.js';
import { createLogger } from '../../log/logger.js';
import { selectConnectors } from '../select-connectors.js';
import type { SystemParts } from '../system-parts.js';

/**
 * `switchboard console [--connector NAME ...]`: the operators' admin API on ADMIN_PORT (8080),
 * watching and controlling every registered connector (or the named ones), until SIGINT/SIGTERM.
 * Settings: ADMIN_PORT, ADMIN_HOST, SWITCHBOARD_TOKENS_FILE or SWITCHBOARD_TOKENS, KAFKA_*,
 * REDIS_URL, SCHEMA_REGISTRY_URL, SWITCHBOARD_TOPIC_PREFIX.
 */
export function registerConsoleCommand(program: Command, parts: Pick<SystemParts, 'connectors'>): void {
  program
    .command('console')
    .description('the operators\' admin API (port 8080): connectors, dead letters, topics, cross-references, audit trail, tokens')
    .option('--connector <name...>', 'connector(s) to watch; default all registered')
    .action(async (flags: { connector?: string[] }) => {
      const connectors = selectConnectors(await parts.connectors(), flags.connector ?? []);
      const logger = createLogger('console');
      const server = await startAdminServer({ connectors, logger });
      await new Promise<void>((resolve) => {
        const onSignal = () => {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          server.close().then(resolve, (error: unknown) => {
            logger.error({ err: error }, 'the console did not stop cleanly');
            resolve();
          });
        };
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        process.stdout.write(`console listening at ${server.address} (${connectors.length} connectors)\n`);
      });
    });
}
