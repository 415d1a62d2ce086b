import { listenUntilSignal, loadServiceConfig } from '../../hub/service/index.js';
import { createLogger } from '../../hub/log/logger.js';
import { createErpApp, type ErpService } from './app.js';

/** Starts the ERP on `ERP_PORT` (3002) with its database at `ERP_DB_PATH` (`.switchboard/data/erp.db`). */
export async function startErp(env: NodeJS.ProcessEnv = process.env): Promise<ErpService & { address: string }> {
  const config = loadServiceConfig('erp', 3002, env);
  const service = await createErpApp({ dbPath: config.dbPath, logger: createLogger('erp') });
  const address = await listenUntilSignal(service.app, config.port, config.host);
  return { ...service, address };
}
