import swagger from '@fastify/swagger';
import type { Database } from 'better-sqlite3';
import fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Logger } from '../log/logger.js';
import { ERRORS } from '../errors/index.js';
import { flushTracing, httpTelemetry, startTracing } from '../telemetry/index.js';
import type { ServiceAuth } from '../auth/index.js';
import { createErrorHandler, errorAnswer } from './error-handler.js';
import { registerMethodNotAllowed } from './method-not-allowed.js';
import { withDocumentedAnswers } from './openapi-responses.js';
import { describeCommandHeaders } from './request-headers.js';
import { recordServiceRoutes } from './route-table.js';
import { BEARER_SECURITY_SCHEME, describeAuth, registerServiceAuth } from './service-auth.js';

/** Options of `buildServiceApp`. */
export interface ServiceAppOptions {
  /** Service name, e.g. `crm`; titles the OpenAPI document. */
  name: string;
  /** A one-line description for the OpenAPI document. */
  description?: string;
  /** The service's open database; `/readyz` checks it answers. */
  db?: Database;
  /**
   * For an app without a database of its own (the admin API): `/readyz` answers ready once this
   * resolves, 503 with its message when it rejects.
   */
  ready?: () => Promise<void>;
  /** Registers the service's routes. */
  routes: (app: FastifyInstance) => void | Promise<void>;
  logger: Logger;
  /** Largest accepted request body in bytes (default 256 KiB); larger gets 413. */
  bodyLimit?: number;
  /**
   * Serve the Swagger UI at `/docs` (default true). Jest cannot load it (@fastify/static
   * requires an ESM-only package), so unit tests turn it off; `/openapi.json` is always served.
   */
  docsUi?: boolean;
  /** Who may call the service's routes (`loadServiceAuth()`); default off: nobody is asked. */
  auth?: ServiceAuth;
}

/**
 * A fastify app with what every Switchboard service shares: JSON-schema validation that
 * refuses unknown fields and wrong types (no silent coercion or removal), the
 * `{error: {code, message, field?}}` error mapping, OpenAPI docs at `/docs` (and `/openapi.json`), `/healthz`
 * (the process runs) and `/readyz` (the database answers, or the app's own `ready` check passes),
 * and telemetry: tracing started for the process under `name` (when the OTEL_* variables ask for
 * it), a SERVER span and the request-duration histogram for every request, and `/metrics`. The
 * service's own routes get their command headers validated and documented, and, with `auth`
 * required, their callers checked (`registerServiceAuth`); the routes above stay open.
 *
 * @example
 * ```ts
 * const app = await buildServiceApp({ name: 'crm', db, logger, routes: (app) => registerCrmRoutes(app, crm) });
 * await app.listen({ port: 3001 });
 * ```
 */
export async function buildServiceApp(options: ServiceAppOptions): Promise<FastifyInstance> {
  const auth: ServiceAuth = options.auth ?? { mode: 'off' };
  const app = fastify({
    loggerInstance: options.logger,
    // Quiet in normal operation: errors worth a look are logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit ?? 256 * 1024,
    // Longer than any id the routes take, so a too-long id is a 400 naming it, not the router's bare 414.
    routerOptions: { maxParamLength: 2048 },
    ajv: {
      customOptions: {
        // Refuse what the schema does not allow instead of repairing it: unknown fields stay
        // (and fail additionalProperties), "5" is not the integer 5.
        removeAdditional: false,
        coerceTypes: false,
        useDefaults: true,
        allErrors: false,
      },
    },
  }) as unknown as FastifyInstance;

  // Telemetry first, so its hooks see every route registered below.
  startTracing(options.name, options.logger);
  await app.register(httpTelemetry);
  app.addHook('onClose', async () => flushTracing());

  // Only JSON is accepted; text/plain would otherwise reach validation as a string.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler(createErrorHandler(options.logger));
  registerMethodNotAllowed(app);
  app.setNotFoundHandler((request, reply) => {
    const { statusCode, body } = errorAnswer(ERRORS.HTTP_ROUTE_NOT_FOUND.code, `no route ${request.method} ${request.url.split('?')[0]}`);
    void reply.code(statusCode).send(body);
  });

  await app.register(swagger, {
    openapi: {
      info: { title: `Switchboard ${options.name.toUpperCase()}`, description: options.description ?? '', version: '1.0.0' },
      ...(auth.mode === 'required' ? { components: { securitySchemes: BEARER_SECURITY_SCHEME } } : {}),
    },
    // Documents the success, refusal and fault answers every route may give (the document only).
    transform: ({ schema, url }) => ({ schema: withDocumentedAnswers(schema), url }),
  });
  if (options.docsUi !== false) {
    // Imported only when wanted, so that loading this module never needs @fastify/static.
    const { default: swaggerUi } = await import('@fastify/swagger-ui');
    await app.register(swaggerUi, { routePrefix: '/docs' });
  }
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok', service: options.name }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const notReady = (why: string) => {
      const { statusCode, body } = errorAnswer(ERRORS.SERVICE_NOT_READY.code, why);
      return reply.code(statusCode).send(body);
    };
    try {
      options.db?.prepare('SELECT 1').get();
    } catch {
      return notReady('database does not answer');
    }
    try {
      await options.ready?.();
    } catch (error) {
      return notReady(`not ready: ${error instanceof Error ? error.message : String(error)}`);
    }
    return { status: 'ready', service: options.name };
  });

  // The service's own routes: their table, the command headers they read, and who may call them.
  await app.register(async (scope) => {
    recordServiceRoutes(app, scope);
    scope.addHook('onRoute', (route) => {
      describeCommandHeaders(route);
      describeAuth(route, auth);
    });
    registerServiceAuth(scope, options.name, auth);
    await options.routes(scope);
  });
  return app;
}
