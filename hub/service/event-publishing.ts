import { Bus, loadBusConfig } from '../bus/index.js';
import { loadTopicPrefix } from '../config/topic-prefix.js';
import type { Logger } from '../log/logger.js';
import { OutboxRelay, watchOutbox, type OutboxRelayStatus } from '../outbox/index.js';
import { SchemaRegistryClient } from '../schema/client/index.js';
import { AvroCodec } from '../schema/codec/index.js';
import type { Outbox } from './outbox.js';

/** A service's running outbox relay and what it holds. */
export interface EventPublishing {
  status(): OutboxRelayStatus;
  /** Finishes the batch in flight, marks it sent, and disconnects from Kafka. */
  stop(): Promise<void>;
}

/**
 * Starts publishing a service's outbox to Kafka: one idempotent producer, the registry
 * codec (built-in registry, or `SCHEMA_REGISTRY_URL`), and the relay that wakes on commit.
 * Kafka or the registry being down only delays publishing; the service keeps accepting writes.
 * The outbox's backlog and the age of its oldest unsent event are exposed at `/metrics`.
 */
export function startEventPublishing(outbox: Outbox, logger: Logger, env: NodeJS.ProcessEnv = process.env): EventPublishing {
  const topicPrefix = loadTopicPrefix(env);
  const producer = new Bus(loadBusConfig(env), logger, 'outbox').producer();
  const codec = new AvroCodec({ registry: SchemaRegistryClient.fromEnv(env) });
  const relay = new OutboxRelay({ outbox, producer, codec, logger, topicPrefix });
  relay.start();
  const unwatch = watchOutbox(outbox.system ?? 'service', { outbox, status: () => relay.status() });
  return {
    status: () => relay.status(),
    stop: async () => {
      unwatch();
      await relay.stop();
      await producer.close();
    },
  };
}
