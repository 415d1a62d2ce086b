import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERRORS } from '../errors/index.js';
import type { AuditAction } from './audit-trail.js';
import { ForbiddenError, UnauthorizedError } from './errors.js';
import { roleAllows, type Role } from './roles.js';
import type { TokenStore } from './token-store.js';
import type { TokenEntry } from './tokens.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The weakest role allowed to call the route (every admin API route declares one). */
    role?: Role;
    /** The operator action a mutating route performs, as the audit trail names it. */
    action?: AuditAction;
  }
  interface FastifyRequest {
    /** The token's holder, once the request is authenticated. */
    actor: TokenEntry | null;
  }
}

/** One route of the admin API and what it needs: the route table tests walk. */
export interface AdminRoute {
  readonly method: string;
  readonly url: string;
  readonly role: Role;
  readonly action?: AuditAction;
}

/** Called when a known token is refused a mutating route, so the attempt reaches the audit trail. */
export type DeniedListener = (actor: TokenEntry, action: AuditAction, request: FastifyRequest) => Promise<void>;

/**
 * Bearer-token access control for the routes registered in `scope` after this call: every route
 * must declare `config.role` (registering one without fails at start, so none is left open), and
 * each request is checked before its body is parsed or validated: no or unknown token → 401,
 * a role too weak → 403. Returns the route table as it fills.
 *
 * @example
 * ```ts
 * const routes = registerAccessControl(scope, tokens, onDenied);
 * scope.post('/api/connectors/:name/pause', { config: { role: 'operator', action: 'connector.pause' } }, handler);
 * ```
 */
export function registerAccessControl(scope: FastifyInstance, tokens: TokenStore, onDenied: DeniedListener): AdminRoute[] {
  const routes: AdminRoute[] = [];
  scope.decorateRequest('actor', null);
  scope.addHook('onRoute', (route) => {
    const role = route.config?.role;
    if (role === undefined) throw new Error(`admin API route ${String(route.method)} ${route.url} declares no config.role`);
    for (const method of [route.method].flat()) routes.push({ method, url: route.url, role, ...(route.config?.action ? { action: route.config.action } : {}) });
  });
  scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const { role, action } = request.routeOptions.config;
    if (role === undefined) return;
    const token = bearerToken(request.headers.authorization);
    const actor = token === undefined ? undefined : tokens.authenticate(token);
    if (actor === undefined) {
      void reply.header('www-authenticate', 'Bearer realm="switchboard"');
      throw new UnauthorizedError(ERRORS.ADMIN_UNAUTHORIZED.code, token === undefined ? 'send a bearer token: Authorization: Bearer <token>' : 'the bearer token is not valid (unknown or revoked)');
    }
    if (!roleAllows(actor.role, role)) {
      if (action !== undefined) await onDenied(actor, action, request);
      throw new ForbiddenError(ERRORS.ADMIN_FORBIDDEN.code, `${request.method} ${request.routeOptions.url} needs the ${role} role; token ${actor.name} has ${actor.role}`);
    }
    request.actor = actor;
  });
  return routes;
}

/** The token of an `Authorization: Bearer <token>` header. */
function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/** The authenticated caller of a route (access control ran before the handler). */
export function actorOf(request: FastifyRequest): TokenEntry {
  if (request.actor === null) throw new Error('actorOf called on a request that access control did not authenticate');
  return request.actor;
}
