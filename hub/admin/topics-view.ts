import { DOMAIN_TOPICS, INTERNAL_TOPICS, topicName } from '../../catalogue/index.js';
import { eventSchema } from '../../schemas/schema-catalog.js';
import type { BusAdmin, PartitionOffsets } from '../bus/index.js';
import { ERRORS, isSwitchboardError } from '../errors/index.js';
import type { SchemaRegistryClient } from '../schema/client/registry-client.js';
import type { AdminConnector } from './admin-connectors.js';

/** A topic's partitions with their first and next offsets, or `exists: false`. */
export interface TopicOffsetsView {
  readonly name: string;
  readonly exists: boolean;
  readonly partitions: readonly PartitionOffsets[];
  /** Records in the topic now (end minus start, summed). */
  readonly records: number;
}

/** A domain topic: its offsets and the registry subject of each event type with its versions. */
export interface DomainTopicView extends TopicOffsetsView {
  readonly system: string;
  readonly aggregate: string;
  readonly keyField: string;
  readonly description: string;
  readonly events: readonly { readonly eventType: string; readonly subject: string; readonly versions: readonly number[] }[];
}

/** An internal topic: what it is for (and for whom). */
export interface InternalTopicView extends TopicOffsetsView {
  readonly purpose: string;
  readonly connector?: string;
}

/**
 * The topics as operators look at them: each domain topic of the catalogue with its partitions,
 * end offsets and the schema subject of each event type with its registered versions, then the
 * internal topics (retry and dead-letter per connector, cross-references, audit).
 *
 * @example
 * ```ts
 * const { domain } = await topicsView(admin, registry, connectors, prefix);
 * domain[0].events[0]; // { eventType: 'switchboard.crm.CustomerCreated', subject: 'crm.customer.v1-switchboard.crm.CustomerCreated', versions: [1] }
 * ```
 */
export async function topicsView(admin: BusAdmin, registry: SchemaRegistryClient, connectors: readonly AdminConnector[], prefix: string): Promise<{ domain: DomainTopicView[]; internal: InternalTopicView[] }> {
  const existing = new Set(await admin.list());
  const offsetsOf = async (name: string): Promise<TopicOffsetsView> => {
    if (!existing.has(name)) return { name, exists: false, partitions: [], records: 0 };
    const partitions = await admin.topicOffsets(name);
    return { name, exists: true, partitions, records: partitions.reduce((sum, p) => sum + Number(BigInt(p.high) - BigInt(p.low)), 0) };
  };
  const versionsOf = async (subject: string): Promise<number[]> => {
    try {
      return await registry.getVersions(subject);
    } catch (error) {
      if (isSwitchboardError(error) && error.code === ERRORS.SCHEMA_NOT_FOUND.code) return [];
      throw error;
    }
  };
  const domain = await Promise.all(DOMAIN_TOPICS.map(async (spec): Promise<DomainTopicView> => ({
    ...(await offsetsOf(topicName(spec, prefix))),
    system: spec.system,
    aggregate: spec.aggregate,
    keyField: spec.keyField,
    description: spec.description,
    events: await Promise.all(spec.eventTypes.map(async (eventType) => {
      const schema = eventSchema(`switchboard.${spec.system}.${eventType}`);
      const subject = schema.subject(prefix);
      return { eventType: schema.fullName, subject, versions: await versionsOf(subject) };
    })),
  })));
  const internal: InternalTopicView[] = [
    { ...(await offsetsOf(`${prefix}${INTERNAL_TOPICS.xref}`)), purpose: 'cross-references (compacted)' },
    { ...(await offsetsOf(`${prefix}${INTERNAL_TOPICS.audit}`)), purpose: 'audit trail of operator actions' },
  ];
  for (const connector of connectors) {
    internal.push({ ...(await offsetsOf(connector.retryTopic)), purpose: 'parked events (retry)', connector: connector.name });
    internal.push({ ...(await offsetsOf(connector.deadLetterTopic)), purpose: 'dead letters', connector: connector.name });
  }
  return { domain, internal };
}
