import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import { loadBusConfig, type BusConfig } from '../../bus/index.js';
import { createLogger, type Logger } from '../../log/logger.js';
import { httpTelemetry } from '../../telemetry/index.js';
import type { CompatibilityLevel } from '../compatibility/index.js';
import { defaultElectionGroup, loadRegistryConfig } from './config.js';
import { advertisedUrl, SOLE_WRITER, WriterElection, type WriterSource, type WriterView } from './election.js';
import { isRegistryError, registryErrors } from './errors.js';
import { KafkaSchemaStore } from './kafka-store.js';
import { registryRoutes } from './routes.js';
import { RegistryService } from './service.js';
import type { SchemaStore } from './store.js';
import { WriteRouter } from './write-router.js';

/** The content type Confluent's registry answers with (and its clients send). */
export const REGISTRY_CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
const REQUEST_CONTENT_TYPES = [REGISTRY_CONTENT_TYPE, 'application/vnd.schemaregistry+json', 'application/json'];

/**
 * The longest path parameter (a subject name, as sent: percent-encoded) the router accepts;
 * longer ones get 414. Fastify's default of 100 refused real subjects such as a long topic
 * prefix with TopicRecordNameStrategy. 8 KiB keeps the whole request line well inside Node's
 * 16 KiB header limit and the record far below Kafka's 1 MB.
 */
export const MAX_SUBJECT_URL_LENGTH = 8192;

/** Before the election has started: nobody writes yet (writes wait, then get 50003). */
const NOT_ELECTED: WriterSource = { current: () => ({ term: 0, self: false, url: undefined }), changed: SOLE_WRITER.changed };

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
  /**
   * Elect the writer among the instances on the same topic (started by `start()`). Default:
   * true with the Kafka store, false with a given `store` (which then takes every write).
   */
  readonly election?: boolean;
  /** Default: `SCHEMA_REGISTRY_ADVERTISED_URL`, else http://<host>:<listening port>. */
  readonly advertisedUrl?: string;
  /** Default: `SCHEMA_REGISTRY_GROUP_ID`, else switchboard-schema-registry.<topic>. */
  readonly groupId?: string;
  /** Default: `SCHEMA_REGISTRY_ELECTION_TIMEOUT_MS` or 10 000. */
  readonly electionTimeoutMs?: number;
  /** Default: `SCHEMA_REGISTRY_WRITER_WAIT_MS` or 5000. */
  readonly writerWaitMs?: number;
  readonly logger?: Logger;
}

/** A registry process: the fastify app, the service behind it, and its lifecycle. */
export interface RegistryServer {
  readonly app: FastifyInstance;
  readonly service: RegistryService;
  /** Replays the store into memory and readies the app (enough for `app.inject`). Idempotent. */
  ready(): Promise<void>;
  /**
   * `ready()`, then listens and joins the writer election (when enabled); resolves with the
   * base URL, e.g. `http://127.0.0.1:8081`, once a writer is known (or after the election
   * timeout without one: writes then wait for it).
   */
  start(): Promise<string>;
  /** Stops listening, lets requests and a write in progress finish, closes the store, leaves the election. */
  stop(): Promise<void>;
  /** Who writes, as this instance sees it (for status and tests). */
  writer(): WriterView;
}

/**
 * Creates Switchboard's built-in schema registry: the Confluent Schema Registry REST API
 * over the compacted `_schemas` topic.
 *
 * Any number of instances may share a topic: they elect one writer through Kafka (see
 * election.ts), every other instance forwards writes to it, and each serves reads from its
 * own tail of the log. One instance alone simply elects itself.
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
  const settings = [options.host, options.port, options.topic, options.defaultCompatibility, options.electionTimeoutMs, options.writerWaitMs];
  const env = settings.includes(undefined) ? loadRegistryConfig() : undefined;
  const logger = options.logger ?? createLogger('schema-registry');
  const topic = options.topic ?? env?.topic ?? '_schemas';
  // Read KAFKA_* only when Kafka is used (unit tests pass an in-memory store and no bus).
  let bus = options.bus;
  const busConfig = (): BusConfig => (bus ??= loadBusConfig());
  const store = options.store ?? new KafkaSchemaStore({ topic, bus: busConfig(), logger });
  const electing = options.election ?? options.store === undefined;

  // Who writes: the election once start() has joined it; until then nobody (or, without an election, this instance).
  let election: WriterElection | undefined;
  const writers: WriterSource = {
    current: () => (election ?? (electing ? NOT_ELECTED : SOLE_WRITER)).current(),
    changed: (afterTerm, until) => (election ?? (electing ? NOT_ELECTED : SOLE_WRITER)).changed(afterTerm, until),
  };
  let selfUrl = '';
  const service = new RegistryService({
    store,
    defaultCompatibility: options.defaultCompatibility ?? env?.defaultCompatibility,
    logger,
    writerTerm: () => {
      const view = writers.current();
      return view.self ? view.term : undefined;
    },
  });
  const writes = new WriteRouter({
    writers,
    waitMs: options.writerWaitMs ?? env?.writerWaitMs ?? 5000,
    origin: () => selfUrl,
    catchUp: () => service.catchUp(),
    logger,
  });

  const app: FastifyInstance = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    logController: new Fastify.LogController({ disableRequestLogging: true }),
    bodyLimit: 4 * 1024 * 1024,
    routerOptions: { maxParamLength: MAX_SUBJECT_URL_LENGTH },
    // The router's own refusals (a subject over the limit, a malformed %-escape) in Confluent's shape.
    frameworkErrors: routerRefusal,
  });

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

  // Server spans, the request-duration histogram and /metrics, as in every Switchboard app.
  app.register(httpTelemetry);

  app.addHook('onRequest', async (_request, reply) => {
    reply.type(REGISTRY_CONTENT_TYPE);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    reply.type(REGISTRY_CONTENT_TYPE);
    if (isRegistryError(error)) {
      // 503: no writer for a moment (an election, a failover); the client retries.
      if (error.httpStatus === 503) request.log.warn({ code: error.code, reason: error.message }, 'schema registry write refused for now');
      else if (error.httpStatus >= 500) request.log.error({ err: error, code: error.code }, 'schema registry request failed');
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

  app.register(registryRoutes, { service, writes });
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
      const address = await app.listen({ host, port: options.port ?? env?.port ?? 8081 });
      selfUrl = advertisedUrl(options.advertisedUrl ?? env?.advertisedUrl, host, (app.server.address() as AddressInfo).port);
      if (!electing || election) return address;
      election = new WriterElection({
        bus: busConfig(),
        topic,
        groupId: options.groupId ?? env?.groupId ?? defaultElectionGroup(topic),
        url: selfUrl,
        sessionTimeoutMs: options.electionTimeoutMs ?? env?.electionTimeoutMs ?? 10_000,
        logger,
      });
      election.onChange((view) => {
        if (view.self) service.prepareWriter();
        logger.info({ term: view.term, writer: view.url, self: view.self }, view.self ? 'this instance is the schema registry writer' : view.url ? 'forwarding writes to the schema registry writer' : 'no schema registry writer known');
      });
      try {
        await election.start();
      } catch (error) {
        await app.close();
        throw error;
      }
      return address;
    },
    async stop() {
      // Finish what is in flight first; then leave the election, so another instance takes over at once.
      await app.close();
      await election?.stop();
    },
    writer: () => writers.current(),
  };
}

/** The router's own refusals (a subject over the limit, a malformed %-escape) in Confluent's shape. */
function routerRefusal(error: FastifyError, _request: unknown, reply: FastifyReply): void {
  const status = error.statusCode ?? 400;
  const message =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? `URI too long: a subject or other path parameter may be at most ${MAX_SUBJECT_URL_LENGTH} characters as sent (percent-encoded)`
      : error.message;
  void reply.code(status).type(REGISTRY_CONTENT_TYPE).send({ error_code: status, message });
}
