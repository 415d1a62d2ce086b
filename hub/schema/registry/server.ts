import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import { loadBusConfig, type BusConfig } from '../../bus/index.js';
import { createLogger, type Logger } from '../../log/logger.js';
import type { CompatibilityLevel } from '../compatibility/index.js';
import { loadRegistryConfig } from './config.js';
import { isRegistryError, registryErrors } from './errors.js';
import { KafkaSchemaStore } from './kafka-store.js';
import { registryRoutes } from './routes.js';
import { RegistryService } from './service.js';
import type { SchemaStore } from './store.js';

/** The content type Confluent's registry answers with (and its clients send). */
export const REGISTRY_CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
const REQUEST_CONTENT_TYPES = [REGISTRY_CONTENT_TYPE, 'application/vnd.schemaregistry+json', 'application/json'];

export interface RegistryServerOptions {
  /** Where schemas live. Default: KafkaSchemaStore on `topic` with `bus`. */
  readonly store?: SchemaStore;
  /** Default: `SCHEMA_REGISTRY_TOPIC` or `_schemas` (INTERNAL_TOPICS.schemas). */
  readonly topic?: string;
  /** Default: loadBusConfig() (KAFKA_* variables). */
  readonly bus?: BusConfig;
  /** Default: `SCHEMA_REGISTRY_HOST` or 127.0.0.1. */
  readonly host?: string;
  /** Default: `SCHEMA_REGISTRY_PORT` or 8081; 0 picks a free port (tests). */
  readonly port?: number;
  /** Default: `SCHEMA_REGISTRY_DEFAULT_COMPATIBILITY` or BACKWARD_TRANSITIVE. */
  readonly defaultCompatibility?: CompatibilityLevel;
  readonly logger?: Logger;
}

/** A registry process: the fastify app, the service behind it, and its lifecycle. */
export interface RegistryServer {
  readonly app: FastifyInstance;
  readonly service: RegistryService;
  /** Replays the store into memory and readies the app (enough for `app.inject`). Idempotent. */
  ready(): Promise<void>;
  /** `ready()`, then listens; resolves with the base URL, e.g. `http://127.0.0.1:8081`. */
  start(): Promise<string>;
  /** Stops listening, lets a write in progress finish, closes the store. */
  stop(): Promise<void>;
}

/**
 * Creates Switchboard's built-in schema registry: the Confluent Schema Registry REST API
 * over the compacted `_schemas` topic.
 *
 * Two instances on the same topic: each tails the log, so reads converge within moments.
 * Writes are serialised within one instance only; two instances registering new schemas
 * at the same moment may both pick the same next id or version, and the later record wins
 * in the log. Run one instance that takes writes (e.g. `switchboard registry` on one host)
 * and any number behind it for reads, or point clients at a single URL.
 *
 * @example
 * ```ts
 * const server = createRegistryServer({ port: 0 });
 * const url = await server.start();
 * // ... new SchemaRegistry({ host: url }) ...
 * await server.stop();
 * ```
 */
export function createRegistryServer(options: RegistryServerOptions = {}): RegistryServer {
  const needsEnv = options.host === undefined || options.port === undefined || options.topic === undefined || options.defaultCompatibility === undefined;
  const env = needsEnv ? loadRegistryConfig() : undefined;
  const logger = options.logger ?? createLogger('schema-registry');
  const store =
    options.store ??
    new KafkaSchemaStore({ topic: options.topic ?? env?.topic ?? '_schemas', bus: options.bus ?? loadBusConfig(), logger });
  const service = new RegistryService({ store, defaultCompatibility: options.defaultCompatibility ?? env?.defaultCompatibility, logger });

  const app: FastifyInstance = Fastify({ loggerInstance: logger as FastifyBaseLogger, logController: new Fastify.LogController({ disableRequestLogging: true }), bodyLimit: 4 * 1024 * 1024 });

  // Accept Confluent's content types; an empty body (DELETE with a Content-Type) is no body.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(REQUEST_CONTENT_TYPES, { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    parseJson(request, text, done);
  });

  app.addHook('onRequest', async (_request, reply) => {
    reply.type(REGISTRY_CONTENT_TYPE);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    reply.type(REGISTRY_CONTENT_TYPE);
    if (isRegistryError(error)) {
      if (error.httpStatus >= 500) request.log.error({ err: error, code: error.code }, 'schema registry request failed');
      return reply.code(error.httpStatus).send(error.toBody());
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // Malformed JSON, unsupported media type, body too large: fastify's own 4xx.
      return reply.code(status).send({ error_code: status, message: error.message });
    }
    request.log.error({ err: error }, 'schema registry request failed');
    const internal = registryErrors.storeError('internal error');
    return reply.code(internal.httpStatus).send({ error_code: internal.errorCode, message: `Internal error: ${error.message}` });
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).type(REGISTRY_CONTENT_TYPE).send({ error_code: 404, message: `HTTP 404 Not Found: ${request.method} ${request.url}` });
  });

  app.register(registryRoutes, { service });
  app.addHook('onClose', async () => {
    if (started) await service.close();
  });

  let started: Promise<void> | undefined;
  const ready = (): Promise<void> => {
    started ??= (async () => {
      await service.start();
      await app.ready();
    })();
    return started;
  };

  return {
    app,
    service,
    ready,
    async start() {
      await ready();
      const host = options.host ?? env?.host ?? '127.0.0.1';
      return app.listen({ host, port: options.port ?? env?.port ?? 8081 });
    },
    async stop() {
      await app.close();
    },
  };
}
