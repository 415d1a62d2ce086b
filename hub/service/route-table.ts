import type { FastifyInstance, RouteOptions } from 'fastify';
import { isWriteMethod } from '../auth/scopes.js';

/** One route of a service as registered: method, route pattern and whether it changes state. */
export interface ServiceRoute {
  readonly method: string;
  /** The pattern, e.g. `/accounts/:crmCustomerId`. */
  readonly url: string;
  readonly write: boolean;
}

const TABLES = new WeakMap<FastifyInstance, ServiceRoute[]>();

/** Records every route registered in `scope` from now on as a route of the service `app`. */
export function recordServiceRoutes(app: FastifyInstance, scope: FastifyInstance): void {
  const table: ServiceRoute[] = [];
  TABLES.set(app, table);
  scope.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      // Fastify adds HEAD to every GET by itself; it is not a route of the service's table.
      if (method === 'HEAD') continue;
      table.push(Object.freeze({ method, url: route.url, write: isWriteMethod(method) }));
    }
  });
}

/**
 * The service's own routes (not `/healthz`, `/readyz`, `/docs`, `/openapi.json`), in
 * registration order: tests derive their route lists from it.
 *
 * @example
 * ```ts
 * const { app } = await createErpApp({ dbPath: ':memory:', docsUi: false });
 * serviceRoutes(app).filter((route) => route.write); // [{ method: 'PUT', url: '/accounts/:crmCustomerId', write: true }, ...]
 * ```
 */
export function serviceRoutes(app: FastifyInstance): readonly ServiceRoute[] {
  return TABLES.get(app) ?? [];
}
