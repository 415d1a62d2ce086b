import { listenUntilSignal, loadServiceConfig } from '../../hub/service/index.js';
import { startEventPublishing } from '../../hub/service/event-publishing.js';
import { createLogger } from '../../hub/log/logger.js';
import { createScmApp, type ScmService } from './app.js';

/** Starts the SCM and its outbox relay on `SCM_PORT` (3003) with its database at `SCM_DB_PATH` (`.switchboard/data/scm.db`). */
export async function startScm(env: NodeJS.ProcessEnv = process.env): Promise<ScmService & { address: string }> {
  const config = loadServiceConfig('scm', env);
  const logger = createLogger('scm');
  const service = await createScmApp({ dbPath: config.dbPath, logger });
  const publishing = startEventPublishing(service.outbox, logger.child({ component: 'outbox-relay' }), env);
  const address = await listenUntilSignal(service.app, config.port, config.host, () => publishing.stop());
  return { ...service, address };
}
