/**
 * The composition root: what `switchboard service` and `switchboard worker` run. Kept out of
 * `hub/` so the platform does not import the services or the connectors built on it.
 */
import type { SystemParts } from '../hub/cli/system-parts.js';

export const systemParts: SystemParts = {
  async startService(name, env) {
    switch (name) {
      case 'crm': return (await import('../services/crm/start.js')).startCrm(env);
      case 'erp': return (await import('../services/erp/start.js')).startErp(env);
      case 'scm': return (await import('../services/scm/start.js')).startScm(env);
    }
  },
  connectors: async () => (await import('../connectors/index.js')).CONNECTORS,
};
