import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { isWriteMethod, scopeAllows, type ServiceAuth } from '../auth/index.js';
import { ERRORS, type HttpErrorCode } from '../errors/index.js';
import { errorAnswer } from './error-handler.js';

/** The `Authorization: Bearer <token>` token of a request, '' for another scheme, undefined without one. */
function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer +([^\s]+) *$/i.exec(header);
  return match ? match[1] : '';
}

function refuse(reply: FastifyReply, code: HttpErrorCode, message: string, challenge?: string): FastifyReply {
  const { statusCode, body } = errorAnswer(code, message);
  if (challenge) void reply.header('www-authenticate', challenge);
  return reply.code(statusCode).type('application/json').send(body);
}

/**
 * Checks the callers of the routes of `scope` (the service's own routes; `/healthz`, `/readyz`,
 * `/docs`, `/openapi.json` and `/metrics` live outside it and stay open). With auth `required`,
 * a write (POST, PUT, PATCH, DELETE) needs a bearer token of the credentials file whose
 * principal has the route's scope (`<system>:<METHOD> <route>`): none or an unknown one is 401
 * (`WWW-Authenticate: Bearer`), one without the scope 403; the message names what is missing.
 * Reads (GET, HEAD) are open, or need any valid token with `reads: 'required'`. Runs before the
 * body is parsed, so a refused caller learns nothing about validation.
 *
 * @example
 * ```ts
 * await app.register(async (scope) => {
 *   registerServiceAuth(scope, 'erp', loadServiceAuth());
 *   registerErpRoutes(scope);
 * });
 * ```
 */
export function registerServiceAuth(scope: FastifyInstance, system: string, auth: ServiceAuth): void {
  if (auth.mode === 'off') return;
  scope.addHook('onRequest', async (request, reply) => {
    const write = isWriteMethod(request.method);
    if (!write && auth.reads === 'open') return;
    const route = request.routeOptions.url ?? request.url.split('?')[0];
    const what = `${request.method} ${route}`;
    const token = bearerToken(request);
    if (token === undefined) {
      return refuse(reply, ERRORS.AUTH_CREDENTIAL_MISSING.code, `${what} needs a credential: send Authorization: Bearer <token>`, `Bearer realm="${system}"`);
    }
    if (token === '') {
      return refuse(reply, ERRORS.AUTH_CREDENTIAL_MISSING.code, `${what} needs a bearer credential: the Authorization header must read Bearer <token>`, `Bearer realm="${system}"`);
    }
    const principal = auth.verifier.identify(token);
    if (!principal) {
      return refuse(reply, ERRORS.AUTH_CREDENTIAL_UNKNOWN.code, `the bearer token is not a credential of the ${system}`, `Bearer realm="${system}", error="invalid_token"`);
    }
    if (write && !scopeAllows(principal.scopes, system, request.method, route)) {
      return refuse(reply, ERRORS.AUTH_SCOPE_MISSING.code, `${principal.name} has no scope "${system}:${request.method} ${route}"`);
    }
    return undefined;
  });
}

/** The OpenAPI security scheme of the services' bearer tokens. */
export const BEARER_SECURITY_SCHEME = { bearerAuth: { type: 'http', scheme: 'bearer', description: 'A token of the credentials file (SWITCHBOARD_CREDENTIALS); writes need the route\'s scope.' } } as const;

const refusal = (description: string) => ({
  description,
  type: 'object',
  properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } } },
});

/**
 * Documents in the OpenAPI document what {@link registerServiceAuth} asks of `route`: the
 * bearer security requirement and the 401 and 403 answers. Nothing when auth is off.
 */
export function describeAuth(route: RouteOptions, auth: ServiceAuth): void {
  if (auth.mode === 'off') return;
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  const write = methods.some((method) => isWriteMethod(method));
  if (!write && auth.reads === 'open') return;
  const schema = (route.schema ?? {}) as { response?: Record<string, unknown> };
  route.schema = {
    ...schema,
    security: [{ bearerAuth: [] }],
    response: {
      ...schema.response,
      401: refusal('No credential, or one the service does not know (SWB_ERR_AUTH_CREDENTIAL_MISSING, SWB_ERR_AUTH_CREDENTIAL_UNKNOWN).'),
      ...(write ? { 403: refusal('The credential has no scope for this route (SWB_ERR_AUTH_SCOPE_MISSING).') } : {}),
    },
  };
}
