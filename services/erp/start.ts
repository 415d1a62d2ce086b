import { listenUntilSignal, loadServiceConfig } from '../../hub/service/index.js';
import { startEventPublishing } from '../../hub/service/event-publishing.js';
import { createLogger } from '../../hub/log/logger.js';
import { createErpApp, type ErpService } from './app.js';

/** Starts the ERP and its outbox relay on `ERP_PORT` (3002) with its database at `ERP_DB_PATH` (`.switchboard/data/erp.db`). */
export async function startErp(env: NodeJS.ProcessEnv = process.env): Promise<ErpService & { address: string }> {
  const config = loadServiceConfig('erp', env);
  const logger = createLogger('erp');
  const service = await createErpApp({ dbPath: config.dbPath, logger });
  const publishing = startEventPublishing(service.outbox, logger.child({ component: 'outbox-relay' }), env);
  const address = await listenUntilSignal(service.app, config.port, config.host, () => publishing.stop());
  return { ...service, address };
}
