/**
 * The composition root: what `switchboard service` and `switchboard worker` run. Kept out of
 * `hub/` so the platform does not import the services or the connectors built on it.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SystemParts } from '../hub/cli/system-parts.js';
import { PROJECT_ROOT } from '../hub/config/project-root.js';
import { servicePrincipals } from './service-credentials.js';

/** True when this runs compiled from dist/, where `connectors/<name>/connector.ts` is `dist/connectors/<name>/connector.js`. */
const compiled = fileURLToPath(import.meta.url).endsWith('.js');

/**
 * The connector names of the conformance table. It is test code (it builds events from the
 * testing kit's examples), left out of the compiled build: from the sources it is imported, from
 * dist/ its entries (`'<name>': {` at the table's first level, as `connector new` writes them)
 * are read from the file.
 */
async function conformanceNames(): Promise<readonly string[]> {
  const file = join(PROJECT_ROOT, 'connectors', 'conformance-fixtures.ts');
  if (!compiled) return Object.keys(((await import(pathToFileURL(file).href)) as { CONFORMANCE_FIXTURES: object }).CONFORMANCE_FIXTURES);
  return [...readFileSync(file, 'utf8').matchAll(/^ {2}'([a-z0-9-]+)': \{/gm)].map((match) => match[1] as string);
}

// Every part is imported when first asked for (the service runtime too: fastify, swagger, the outbox), so a
// process holds only what its command uses: the console is not a service.
export const systemParts: SystemParts = {
  startService: async (name, env) => {
    const [{ runService }, { SERVICE_APPS }] = await Promise.all([import('../hub/service/index.js'), import('../services/index.js')]);
    return runService(name, await SERVICE_APPS[name](), env);
  },
  connectors: async () => (await import('../connectors/index.js')).CONNECTORS,
  connectorTooling: {
    root: PROJECT_ROOT,
    importConnector: (file) => import(pathToFileURL(compiled ? join(PROJECT_ROOT, 'dist', relative(PROJECT_ROOT, file)).replace(/\.ts$/, '.js') : file).href),
    conformanceNames,
  },
  servicePrincipals: async () => servicePrincipals((await import('../connectors/index.js')).CONNECTORS.map((connector) => connector.name)),
};
