import type { Kafka } from 'kafkajs';
import type { BusConfig } from '../bus/bus-config.js';
import { BusProducer } from '../bus/bus-producer.js';
import { createKafka } from '../bus/kafka-client.js';
import type { Logger } from '../log/logger.js';
import { AvroCodec } from '../schema/codec/avro-codec.js';
import type { SchemaLookup } from '../schema/client/registry-client.js';
import { CrossReferences } from '../state/xref.js';
import type { Redis } from '../state/redis.js';
import type { SystemName } from '../../topics/catalogue.js';

/** What the connector workers of one process share. */
export interface RuntimeServices {
  readonly bus: BusConfig;
  readonly kafka: Kafka;
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
  /** Base URLs overriding the targets' defaults (CRM_URL, ...). */
  readonly targetUrls: Partial<Record<SystemName, string>>;
  /** Where a connector group without committed offsets starts. Default true: nothing published before the first start is missed. */
  readonly fromBeginning: boolean;
}

export interface RuntimeServicesOptions {
  readonly bus: BusConfig;
  readonly redis: Redis;
  readonly registry: SchemaLookup;
  readonly logger: Logger;
  readonly prefix?: string;
  readonly targetUrls?: Partial<Record<SystemName, string>>;
  readonly fromBeginning?: boolean;
}

/** Builds and starts the shared services (the cross-reference log is read before this resolves). */
export async function startRuntimeServices(options: RuntimeServicesOptions): Promise<RuntimeServices> {
  const prefix = options.prefix ?? '';
  const kafka = createKafka(options.bus, options.logger, 'worker');
  const xref = new CrossReferences({ redis: options.redis, bus: options.bus, logger: options.logger, namespace: prefix });
  await xref.start();
  return {
    bus: options.bus,
    kafka,
    redis: options.redis,
    codec: new AvroCodec({ registry: options.registry }),
    producer: new BusProducer(kafka, options.logger),
    xref,
    logger: options.logger,
    prefix,
    targetUrls: options.targetUrls ?? {},
    fromBeginning: options.fromBeginning ?? true,
  };
}

/** Closes what startRuntimeServices opened (not the Redis client, which the caller owns). */
export async function stopRuntimeServices(services: RuntimeServices): Promise<void> {
  await services.producer.close();
  await services.xref.close();
}
