import { listenUntilSignal, loadServiceConfig } from '../../hub/service/index.js';
import { startEventPublishing } from '../../hub/service/event-publishing.js';
import { createLogger } from '../../hub/log/logger.js';
import { createCrmApp, type CrmService } from './app.js';

/** Starts the CRM and its outbox relay on `CRM_PORT` (3001) with its database at `CRM_DB_PATH` (`.switchboard/data/crm.db`). */
export async function startCrm(env: NodeJS.ProcessEnv = process.env): Promise<CrmService & { address: string }> {
  const config = loadServiceConfig('crm', env);
  const logger = createLogger('crm');
  const service = await createCrmApp({ dbPath: config.dbPath, logger });
  const publishing = startEventPublishing(service.outbox, logger.child({ component: 'outbox-relay' }), env);
  const address = await listenUntilSignal(service.app, config.port, config.host, () => publishing.stop());
  return { ...service, address };
}
