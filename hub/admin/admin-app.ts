import type { FastifyInstance } from 'fastify';
import { ERRORS } from '../errors/index.js';
import { buildServiceApp } from '../service/build-app.js';
import { registerAccessControl, type AdminRoute } from './access.js';
import type { AdminServices } from './admin-services.js';
import type { AuditAction, AuditTarget } from './audit-trail.js';
import { registerAuditRoutes } from './routes/audit.js';
import { registerConnectorRoutes } from './routes/connectors.js';
import { registerDeadLetterRoutes } from './routes/dead-letters.js';
import { registerTokenRoutes } from './routes/tokens.js';
import { registerTopicRoutes } from './routes/topics.js';
import { registerXrefRoutes } from './routes/xref.js';
import { registerFlowRoutes } from './routes/flow.js';
import { registerTrackingRoutes } from './routes/tracking.js';
import { registerConsoleAssets } from './console-assets.js';

/** The admin API app and its route table (method, path, role, audited action). */
export interface AdminApp {
  readonly app: FastifyInstance;
  readonly routes: readonly AdminRoute[];
}

/**
 * Builds the admin API on the shared service plumbing (JSON-schema validation, error answers
 * naming the field, OpenAPI at `/docs`, `/healthz`, `/readyz`). Everything lives under `/api/`
 * and needs a bearer token (see access.ts); `/` stays free for the web console.
 *
 * @example
 * ```ts
 * const { app, routes } = await buildAdminApp(services);
 * await app.listen({ port: 8080, host: '127.0.0.1' });
 * ```
 */
export async function buildAdminApp(services: AdminServices, options: { docsUi?: boolean } = {}): Promise<AdminApp> {
  let routes: AdminRoute[] = [];
  const app = await buildServiceApp({
    name: 'admin',
    description: 'The operators\' admin API: connectors, dead letters, topics, cross-references, audit trail and tokens. Every route needs `Authorization: Bearer <token>`.',
    logger: services.logger,
    ready: services.ready,
    docsUi: options.docsUi,
    routes: (scope) => {
      routes = registerAccessControl(scope, services.tokens, async (actor, action, request) => {
        await services.audit
          .record({ actor: actor.name, role: actor.role, action, target: targetOf(action, request.params), reason: null, outcome: 'failed', code: ERRORS.ADMIN_FORBIDDEN.code })
          .catch((error: unknown) => services.logger.error({ err: error }, 'could not write the audit entry of a refused request'));
      });
      // A POST without a body means "no options": validate it as an empty object.
      scope.addHook('preValidation', async (request) => {
        if (request.body === undefined && request.method === 'POST') request.body = {};
      });
      registerConnectorRoutes(scope, services);
      registerDeadLetterRoutes(scope, services);
      registerTopicRoutes(scope, services);
      registerXrefRoutes(scope, services);
      registerAuditRoutes(scope, services);
      registerTokenRoutes(scope, services);
      registerFlowRoutes(scope, services);
      registerTrackingRoutes(scope, services);
    },
  });
  // The web console's pages and assets: outside the access-controlled scope (they hold no data; the pages call /api/ with the token).
  await app.register(registerConsoleAssets);
  return { app, routes };
}

/** What a refused request was aimed at, from its path parameters. */
function targetOf(action: AuditAction, params: unknown): AuditTarget {
  const { name, id } = (params ?? {}) as { name?: string; id?: string };
  if (action.startsWith('token.')) return name ? { token: name } : {};
  return { ...(name ? { connector: name } : {}), ...(id ? { deadLetters: [id] } : {}) };
}
