import type { FastifyInstance } from 'fastify';
import { INTERNAL_TOPICS } from '../../catalogue/index.js';
import { Bus, CompactedLog, loadBusConfig } from '../bus/index.js';
import { loadTopicPrefix } from '../config/topic-prefix.js';
import { createLogger, type Logger } from '../log/logger.js';
import { connectorTopics, deadLetterTopic, ensureConnectorTopics } from '../runtime/connector-topics.js';
import { ConnectorControl } from '../runtime/control.js';
import { DeadLetterMarks } from '../runtime/dead-letter-marks.js';
import { DeadLetters } from '../runtime/dead-letters.js';
import { SchemaRegistryClient, loadSchemaRegistryClientConfig } from '../schema/client/registry-client.js';
import { AvroCodec } from '../schema/codec/avro-codec.js';
import type { ConnectorDefinition } from '../sdk/types.js';
import { createRedis, loadRedisUrl } from '../state/redis.js';
import { CrossReferences } from '../state/xref.js';
import { DashboardQuery, TrackQuery, TrackingProjection, TrackingStore, loadTrackingConfig, type TrackingConfig } from '../tracking/index.js';
import type { AdminRoute } from './access.js';
import { buildAdminApp } from './admin-app.js';
import { loadAdminConfig, type AdminConfig } from './admin-config.js';
import { adminConnectorsOf } from './admin-connectors.js';
import { ConnectorSeries } from './connector-series.js';
import type { AdminServices } from './admin-services.js';
import { AuditTrail, auditTopic } from './audit-trail.js';
import { DeadLetterDesk } from './dead-letter-desk.js';
import { DeadLetterIndex } from './dead-letter-index.js';
import { LagSampler } from './lag-sampler.js';
import { PersonalData } from './personal-data.js';
import { TokenStore } from './token-store.js';

export interface AdminServerOptions {
  /** The connectors to watch and control (the composition root hands them over). */
  readonly connectors: readonly ConnectorDefinition[];
  /** Environment the configuration is read from; default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Default: read from `env` (loadAdminConfig). */
  readonly config?: AdminConfig;
  /** Default: read from `env` (loadTrackingConfig). */
  readonly tracking?: TrackingConfig;
  readonly logger?: Logger;
  /** Serve the Swagger UI at /docs (default true; tests under Jest turn it off). */
  readonly docsUi?: boolean;
  /** Listen on this port instead of the configured one (0: any free port). */
  readonly port?: number;
}

/** A running admin API. */
export interface AdminServer {
  readonly app: FastifyInstance;
  readonly routes: readonly AdminRoute[];
  readonly services: AdminServices;
  /** `http://host:port` it listens on. */
  readonly address: string;
  /** Stops listening, then the sampler, the tails, the producer and the clients. */
  close(): Promise<void>;
}

/**
 * Starts the admin API the way `switchboard console` runs it: connects to Kafka, Redis and the
 * schema registry, creates the audit topic and any missing dead-letter topic, reads the audit
 * trail and every dead-letter topic into memory (and keeps following them), starts sampling the
 * connectors' status, and listens (ADMIN_PORT, ADMIN_HOST).
 *
 * @example
 * ```ts
 * const server = await startAdminServer({ connectors: CONNECTORS });
 * console.log(server.address); // http://127.0.0.1:8080
 * await server.close();
 * ```
 */
export async function startAdminServer(options: AdminServerOptions): Promise<AdminServer> {
  const env = options.env ?? process.env;
  const config = options.config ?? loadAdminConfig(env);
  const prefix = loadTopicPrefix(env);
  const trackingConfig = options.tracking ?? loadTrackingConfig(env, prefix);
  const busConfig = loadBusConfig(env);
  const logger = options.logger ?? createLogger('console');
  const registry = new SchemaRegistryClient(loadSchemaRegistryClientConfig(env));
  const tokens = 'file' in config.tokens ? TokenStore.fromFile(config.tokens.file, logger) : TokenStore.fixed(config.tokens.fixed);
  if (tokens.list().length === 0) logger.warn({ tokens: tokens.source }, 'no admin API tokens: every request will be refused (switchboard up creates one; or switchboard tokens create --local)');

  const connectors = adminConnectorsOf(options.connectors, prefix);
  const bus = new Bus(busConfig, logger, 'console');
  const redis = createRedis(loadRedisUrl(env), logger, 'console');
  const admin = bus.admin();
  const producer = bus.producer();
  const stops: (() => Promise<unknown>)[] = [async () => redis.quit(), () => admin.close(), () => producer.close()];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => logger.warn({ err: error }, 'shutdown step failed'));
  };
  try {
    await admin.connect();
    const auditTopicName = `${prefix}${INTERNAL_TOPICS.audit}`;
    await admin.createMissing([auditTopic(auditTopicName, busConfig), ...connectors.map((c) => deadLetterTopic(c.deadLetterTopic, busConfig))]);

    // The tracking projection reads every connector's retry topic and the cross-references: make sure they exist.
    await Promise.all(options.connectors.map((definition) => ensureConnectorTopics(bus, definition, connectorTopics(definition, prefix))));
    const xrefLog = new CompactedLog({ topic: `${prefix}${INTERNAL_TOPICS.xref}`, bus: busConfig, logger, clientIdSuffix: 'console-xref' });
    await xrefLog.ensureTopic();
    await xrefLog.close();

    const audit = new AuditTrail({ bus, producer, topic: auditTopicName, limit: config.auditIndexLimit, logger });
    const index = new DeadLetterIndex({ bus, connectors, limit: config.deadLetterIndexLimit, valueBudgetBytes: config.deadLetterValueBudgetBytes, logger });
    const series = new ConnectorSeries(3600_000, config.sampleIntervalMs);
    const sampler: LagSampler = new LagSampler({
      admin, redis, prefix, connectors, intervalMs: config.sampleIntervalMs, windowSize: config.windowSamples, logger,
      onSample: () => connectors.forEach((connector) => series.record(connector.name, sampler.snapshot(connector.name))),
    });
    const codec = new AvroCodec({ registry, autoRegister: false });
    const store = TrackingStore.open(trackingConfig.dbPath);
    stops.push(async () => store.close());
    const projection = new TrackingProjection({ bus, redis, codec, store, connectors, prefix, retentionMs: trackingConfig.retentionMs, logger: logger.child({ component: 'tracking' }) });
    await Promise.all([audit.start(), index.start(), sampler.start()]);
    stops.push(() => audit.stop(), () => index.stop(), () => sampler.stop(), () => projection.stop());

    const services: AdminServices = {
      connectors,
      prefix,
      redis,
      admin,
      control: new ConnectorControl({ redis, bus, logger, namespace: prefix }),
      sampler,
      window: { size: config.windowSamples, intervalMs: config.sampleIntervalMs },
      deadLetters: new DeadLetterDesk({
        index,
        marks: new DeadLetterMarks(redis, prefix),
        deadLetters: new DeadLetters({ bus, redis, producer, prefix }),
        codec,
        personal: new PersonalData(),
      }),
      audit,
      series,
      tracking: {
        projection,
        track: new TrackQuery(store.db, new Map(connectors.map((connector) => [connector.name, connector.target]))),
        dashboard: new DashboardQuery(store.db),
        config: trackingConfig,
      },
      tokens,
      registry,
      // Lookups only read Redis; the log behind CrossReferences is never started here.
      xref: new CrossReferences({ redis, bus: busConfig, logger, namespace: prefix }),
      logger,
      ready: async () => {
        await redis.ping();
        await admin.brokerIds();
      },
    };
    const { app, routes } = await buildAdminApp(services, { docsUi: options.docsUi });
    stops.push(() => app.close());
    const address = await app.listen({ port: options.port ?? config.port, host: config.host });
    // The projection joins its group once the console answers: a long catch-up (a new database
    // reads every topic from the beginning) must not hold the API and the pages back.
    await projection.start();
    return { app, routes, services, address, close: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
