import type { FastifyInstance, RouteOptions } from 'fastify';
import { ERRORS } from '../errors/index.js';
import { errorAnswer } from './error-handler.js';

/** A route pattern as a regular expression over concrete paths: `/orders/:id` matches `/orders/O-1`. */
function patternOf(url: string): RegExp {
  const escaped = url.split('/').map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/');
  return new RegExp(`^${escaped}/?$`);
}

/**
 * Answers 405 (SWB_ERR_HTTP_METHOD_NOT_ALLOWED) with an `Allow` header when a path exists with
 * other methods, instead of a 404 that would say the path does not exist. Registers on the root
 * app before any route, so it sees every route and runs before a body is read.
 */
export function registerMethodNotAllowed(app: FastifyInstance): void {
  const routes: { pattern: RegExp; params: number; methods: Set<string> }[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const known = routes.find((entry) => entry.pattern.source === patternOf(route.url).source);
    if (known) methods.forEach((method) => known.methods.add(method));
    else routes.push({ pattern: patternOf(route.url), params: route.url.split(':').length - 1, methods: new Set(methods) });
  });
  app.addHook('onRequest', async (request, reply) => {
    if (!request.is404) return undefined;
    const path = request.url.split('?')[0];
    // The most specific patterns: `/inventory/movements` is that route, not `/inventory/:sku`.
    const matches = routes.filter((entry) => entry.pattern.test(path));
    const fewest = Math.min(...matches.map((entry) => entry.params));
    const allowed = [...new Set(matches.filter((entry) => entry.params === fewest).flatMap((entry) => [...entry.methods]))].sort();
    if (allowed.length === 0) return undefined;
    const { statusCode, body } = errorAnswer(ERRORS.HTTP_METHOD_NOT_ALLOWED.code, `${request.method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`);
    return reply.code(statusCode).header('allow', allowed.join(', ')).type('application/json').send(body);
  });
}
