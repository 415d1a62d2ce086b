import { listenUntilSignal, loadServiceConfig } from '../../hub/service/index.js';
import { createLogger } from '../../hub/log/logger.js';
import { createScmApp, type ScmService } from './app.js';

/** Starts the SCM on `SCM_PORT` (3003) with its database at `SCM_DB_PATH` (`.switchboard/data/scm.db`). */
export async function startScm(env: NodeJS.ProcessEnv = process.env): Promise<ScmService & { address: string }> {
  const config = loadServiceConfig('scm', 3003, env);
  const service = await createScmApp({ dbPath: config.dbPath, logger: createLogger('scm') });
  const address = await listenUntilSignal(service.app, config.port, config.host);
  return { ...service, address };
}
