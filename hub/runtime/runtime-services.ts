import { TargetRegistry } from '../adapters/sinks/target-registry.js';
import { Bus, type BusConfig, type BusProducer } from '../bus/index.js';
import { CallerCredentials, loadCallerCredentials } from '../auth/index.js';
import { loadSystemUrls } from '../config/system-urls.js';
import type { Logger } from '../log/logger.js';
import { AvroCodec } from '../schema/codec/avro-codec.js';
import type { SchemaLookup } from '../schema/client/registry-client.js';
import { CrossReferences } from '../state/xref.js';
import type { Redis } from '../state/redis.js';
import type { SystemName } from '../../catalogue/index.js';

/** What the connector workers of one process share. */
export interface RuntimeServices {
  readonly bus: Bus;
  readonly redis: Redis;
  readonly codec: AvroCodec;
  readonly producer: BusProducer;
  readonly xref: CrossReferences;
  readonly logger: Logger;
  /**
   * Isolates a test run: prefixes topics (`<prefix>crm.order.v1`, `<prefix>switchboard.retry.x`),
   * consumer groups, registry subjects and Redis keys. '' in production.
   */
  readonly prefix: string;
  /** Where each system's API is reached (CRM_URL, ... through loadSystemUrls). */
  readonly systemUrls: Readonly<Record<SystemName, string>>;
  /** The tokens connectors send to the systems, by connector name (SWITCHBOARD_CREDENTIALS). */
  readonly credentials: CallerCredentials;
  /** Where a connector group without committed offsets starts. Default true: nothing published before the first start is missed. */
  readonly fromBeginning: boolean;
  /** External HTTP APIs and PostgreSQL tables connectors name as their target (hub/adapters/sinks). */
  readonly targets: TargetRegistry;
}

export interface RuntimeServicesOptions {
  readonly bus: BusConfig;
  readonly redis: Redis;
  readonly registry: SchemaLookup;
  readonly logger: Logger;
  readonly prefix?: string;
  /** Where each system's API is reached; default `loadSystemUrls()` (CRM_URL, ERP_URL, SCM_URL). */
  readonly systemUrls?: Readonly<Record<SystemName, string>>;
  /** The connectors' tokens; default `loadCallerCredentials()` (SWITCHBOARD_CREDENTIALS, none when unset). */
  readonly credentials?: CallerCredentials;
  readonly fromBeginning?: boolean;
  /** Where generic targets' settings (`TARGET_<NAME>_*`) are read; default process.env. */
  readonly env?: NodeJS.ProcessEnv;
}

/** Builds and starts the shared services (the cross-reference log is read before this resolves). */
export async function startRuntimeServices(options: RuntimeServicesOptions): Promise<RuntimeServices> {
  const prefix = options.prefix ?? '';
  const bus = new Bus(options.bus, options.logger, 'worker');
  const xref = new CrossReferences({ redis: options.redis, bus: options.bus, logger: options.logger, namespace: prefix });
  await xref.start();
  return {
    bus,
    redis: options.redis,
    codec: new AvroCodec({ registry: options.registry }),
    producer: bus.producer(),
    xref,
    logger: options.logger,
    prefix,
    systemUrls: options.systemUrls ?? loadSystemUrls(),
    credentials: options.credentials ?? loadCallerCredentials(),
    fromBeginning: options.fromBeginning ?? true,
    targets: new TargetRegistry({ env: options.env ?? process.env, logger: options.logger }),
  };
}

/** Closes what startRuntimeServices opened (not the Redis client, which the caller owns). */
export async function stopRuntimeServices(services: RuntimeServices): Promise<void> {
  await services.producer.close();
  await services.xref.close();
  await services.targets.close();
}

/**
 * The services of one connector that logs in to Kafka as its own principal: its own Bus (so its
 * consumers and admin client use its login) and its own producer (its retry, dead-letter and
 * target topics), everything else shared. Without per-connector logins the worker keeps one
 * shared producer (fewer, fuller produce requests: a measured win, bench/RESULTS.md).
 *
 * @example
 * ```ts
 * const own = connectorServices(services, asLogin(loadBusConfig(), login), 'crm-order-to-erp');
 * new ConnectorWorker(definition, own);
 * await own.producer.close();
 * ```
 */
export function connectorServices(services: RuntimeServices, config: BusConfig, connector: string): RuntimeServices {
  const bus = new Bus(config, services.logger, `connector-${connector}`);
  return { ...services, bus, producer: bus.producer() };
}
