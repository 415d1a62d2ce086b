/**
 * The composition root: what `switchboard service` and `switchboard worker` run. Kept out of
 * `hub/` so the platform does not import the services or the connectors built on it.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SystemParts } from '../hub/cli/system-parts.js';
import { runService } from '../hub/service/index.js';

export const systemParts: SystemParts = {
  startService: async (name, env) => runService(name, await (await import('../services/index.js')).SERVICE_APPS[name](), env),
  connectors: async () => (await import('../connectors/index.js')).CONNECTORS,
  connectorTooling: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    importConnector: (file) => import(pathToFileURL(file).href),
    conformanceNames: async () => Object.keys((await import('../connectors/conformance-fixtures.js')).CONFORMANCE_FIXTURES),
  },
};
