import type { SystemName } from '../../catalogue/index.js';
import { createLogger } from '../log/logger.js';
import { startEventPublishing } from './event-publishing.js';
import type { CreateServiceApp, ServiceApp } from './service-app.js';
import { listenUntilSignal, loadServiceConfig } from './start.js';

/**
 * Runs one service as `switchboard service <name>` does: its configuration (`<NAME>_PORT`,
 * `<NAME>_HOST`, `<NAME>_DB_PATH`), its app, its outbox relay publishing to Kafka, and a
 * graceful stop on SIGINT/SIGTERM (the relay finishes its batch, then the app closes).
 *
 * @example
 * ```ts
 * const erp = await runService('erp', createErpApp);
 * console.log(erp.address); // http://127.0.0.1:3002
 * ```
 */
export async function runService(name: SystemName, create: CreateServiceApp, env: NodeJS.ProcessEnv = process.env): Promise<ServiceApp & { address: string }> {
  const config = loadServiceConfig(name, env);
  const logger = createLogger(name);
  const service = await create({ dbPath: config.dbPath, logger });
  const publishing = startEventPublishing(service.outbox, logger.child({ component: 'outbox-relay' }), env);
  const address = await listenUntilSignal(service.app, config.port, config.host, () => publishing.stop());
  return { ...service, address };
}
