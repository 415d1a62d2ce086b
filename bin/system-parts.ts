/**
 * The composition root: what `switchboard service` and `switchboard worker` run. Kept out of
 * `hub/` so the platform does not import the services or the connectors built on it.
 */
import type { SystemParts } from '../hub/cli/system-parts.js';
import { runService } from '../hub/service/index.js';
import { servicePrincipals } from './service-credentials.js';

export const systemParts: SystemParts = {
  startService: async (name, env) => runService(name, await (await import('../services/index.js')).SERVICE_APPS[name](), env),
  connectors: async () => (await import('../connectors/index.js')).CONNECTORS,
  servicePrincipals: async () => servicePrincipals((await import('../connectors/index.js')).CONNECTORS.map((connector) => connector.name)),
};
