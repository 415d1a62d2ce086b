import type { SystemName } from '../../catalogue/index.js';
import { loadServiceAuth } from '../auth/index.js';
import { createLogger } from '../log/logger.js';
import { startEventPublishing } from './event-publishing.js';
import type { CreateServiceApp, ServiceApp } from './service-app.js';
import { listenUntilSignal, loadServiceConfig } from './start.js';

/**
 * Runs one service as `switchboard service <name>` does: its configuration (`<NAME>_PORT`,
 * `<NAME>_HOST`, `<NAME>_DB_PATH`, `SERVICE_AUTH` and the credentials file), its app, its outbox relay publishing to Kafka, and a
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
  const auth = loadServiceAuth(env);
  const logger = createLogger(name);
  if (auth.mode === 'off') logger.warn('SERVICE_AUTH=off: writes are not authenticated (fine on a developer machine, never elsewhere)');
  else logger.info({ reads: auth.reads }, 'writes need a bearer credential with the route\'s scope');
  const service = await create({ dbPath: config.dbPath, logger, auth });
  const publishing = startEventPublishing(service.outbox, logger.child({ component: 'outbox-relay' }), env);
  const address = await listenUntilSignal(service.app, config.port, config.host, () => publishing.stop());
  return { ...service, address };
}
