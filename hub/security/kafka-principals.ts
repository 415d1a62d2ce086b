/**
 * Who may do what on Kafka: the principals of a secure deployment and their ACLs, derived from
 * the catalogue and the connector definitions in one place. `switchboard up --secure` and the
 * testing kit provision exactly this; docs/security.md prints it.
 */
import { CDC_TABLES, DOMAIN_TOPICS, INTERNAL_TOPICS, SYSTEM_NAMES, cdcTopicName, topicName, type EventFullName, type SystemName } from '../../catalogue/index.js';
import type { AclGrant, AclOperation } from '../bus/index.js';
import { connectorGroups, connectorTopics } from '../runtime/connector-topics.js';
import { defaultElectionGroup } from '../schema/registry/config.js';
import { ELECTION_TOPIC } from '../schema/registry/election.js';
import { writerTransactionalId } from '../schema/registry/kafka-store.js';
import type { ConnectorDefinition } from '../sdk/types.js';
import { eventSchema } from '../../schemas/schema-catalog.js';

/** What a principal is: the process (or connector) that logs in with it. */
export type PrincipalRole = 'service' | 'connector' | 'worker' | 'registry' | 'console' | 'cdc' | 'webhooks';

/** One SCRAM user and everything it is allowed. */
export interface KafkaPrincipal {
  /** The SCRAM user name (`User:<username>` in ACLs). */
  readonly username: string;
  readonly role: PrincipalRole;
  /** The system, connector or process it stands for. */
  readonly of: string;
  readonly grants: readonly AclGrant[];
}

export interface KafkaPrincipalsInput {
  /** The connectors the worker runs (their sources, targets, retry and dead-letter topics). */
  readonly connectors: readonly ConnectorDefinition[];
  /** The topic prefix (SWITCHBOARD_TOPIC_PREFIX); '' in production. */
  readonly prefix: string;
  /** Add the change-data-capture principal (when CDC is configured). */
  readonly cdc?: boolean;
  /** The registry's store topic (SCHEMA_REGISTRY_TOPIC); default `<prefix>_schemas`. */
  readonly registryTopic?: string;
  /** Add the webhooks principal (when webhook sources are configured): the event types its sources map deliveries to. */
  readonly webhooks?: readonly EventFullName[];
}

/** The SCRAM user names, one place. */
export const PRINCIPAL_NAMES = Object.freeze({
  service: (system: SystemName) => `svc-${system}`,
  connector: (connector: string) => `connector-${connector}`,
  worker: 'worker',
  registry: 'registry',
  console: 'console',
  cdc: 'cdc',
  webhooks: 'webhooks',
});

/**
 * Groups whose names the bus makes up per read (`switchboard.reader.<uuid>`, `switchboard.tail.<label>.<uuid>`,
 * `switchboard.compacted-log.<topic>.<uuid>`): kafkajs joins a group even to read a topic once, so a
 * reader needs READ on them. They are named without the topic prefix (hub/bus).
 */
const READER_GROUPS = ['switchboard.reader.', 'switchboard.tail.'] as const;
const compactedLogGroup = (topic: string): string => `switchboard.compacted-log.${topic}.`;

const topic = (principal: string, name: string, operations: readonly AclOperation[], pattern: AclGrant['pattern'] = 'literal'): AclGrant =>
  ({ principal, resource: 'topic', name, pattern, operations });
const group = (principal: string, name: string, operations: readonly AclOperation[] = ['read'], pattern: AclGrant['pattern'] = 'literal'): AclGrant =>
  ({ principal, resource: 'group', name, pattern, operations });

/** The grants to keep a compacted log (create it, read it to the end, append): the registry's store, the cross-references. */
const compactedLog = (principal: string, name: string, write: boolean): AclGrant[] => [
  // describe-configs: CompactedLog checks the topic's cleanup policy before trusting it.
  topic(principal, name, write ? ['read', 'write', 'create', 'describe-configs'] : ['read', 'describe-configs']),
  group(principal, compactedLogGroup(name), ['read'], 'prefixed'),
];

/** Every domain topic of `system`, with the prefix. */
function systemTopics(system: SystemName, prefix: string): string[] {
  return DOMAIN_TOPICS.filter((spec) => spec.system === system).map((spec) => `${prefix}${topicName(spec)}`);
}

/**
 * The topics a topic-target connector writes: those of the event types it declares
 * (`target.produces`), or every domain topic when it does not declare them; none for a system,
 * HTTP or PostgreSQL target.
 */
function producedTopics(connector: ConnectorDefinition, prefix: string, allDomainTopics: readonly string[]): readonly string[] {
  const target = connector.target;
  if (!('kind' in target) || target.kind !== 'topic') return [];
  if (!target.produces) return allDomainTopics;
  return [...new Set(target.produces.map((eventType) => eventSchema(eventType).topicName(prefix)))];
}

/**
 * The principals of a secure deployment and their ACLs, least privilege:
 * - each service writes only its own system's topics;
 * - each connector reads its sources, reads and writes its retry topic, writes its dead-letter
 *   topic (creating both when missing), uses its two consumer groups; a topic-target connector
 *   also writes the topics of the event types it declares it produces (`target.produces`; a
 *   declarative connector's loader fills it from its produce actions), or every domain topic
 *   when it does not say;
 * - the worker (the clients its connectors share) keeps the cross-references log;
 * - the registry keeps its store topic and joins its writer election;
 * - the admin API reads what it shows (sources, retry and dead-letter topics, cross-references,
 *   audit), writes the audit trail and replays (retry topics), and reads and resets the
 *   connectors' groups;
 * - cdc (when configured) writes its tables' topics and keeps its snapshot state;
 * - webhooks (when configured) writes the topics of the event types its sources produce.
 *
 * @example
 * ```ts
 * const principals = kafkaPrincipals({ connectors: CONNECTORS, prefix: '' });
 * principals.find((p) => p.username === 'svc-crm')?.grants; // write on crm.customer.v1, crm.order.v1, ...
 * ```
 */
export function kafkaPrincipals(input: KafkaPrincipalsInput): KafkaPrincipal[] {
  const { prefix } = input;
  const principals: KafkaPrincipal[] = [];

  for (const system of SYSTEM_NAMES) {
    const username = PRINCIPAL_NAMES.service(system);
    const principal = `User:${username}`;
    principals.push({ username, role: 'service', of: system, grants: systemTopics(system, prefix).map((name) => topic(principal, name, ['write'])) });
  }

  const allDomainTopics = DOMAIN_TOPICS.map((spec) => `${prefix}${topicName(spec)}`);
  for (const connector of input.connectors) {
    const username = PRINCIPAL_NAMES.connector(connector.name);
    const principal = `User:${username}`;
    const topics = connectorTopics(connector, prefix);
    const groups = connectorGroups(connector.name, prefix);
    principals.push({
      username, role: 'connector', of: connector.name,
      grants: [
        // describe-configs: ensureConnectorTopics reads the three topics' settings before it creates what is missing.
        ...topics.sources.map((name) => topic(principal, name, ['read', 'describe-configs'])),
        // create: the worker creates its retry and dead-letter topics when they are missing (ensureConnectorTopics).
        topic(principal, topics.retry, ['read', 'write', 'create', 'describe-configs']),
        topic(principal, topics.deadLetter, ['write', 'create', 'describe-configs']),
        group(principal, groups.main),
        group(principal, groups.retry),
        ...producedTopics(connector, prefix, allDomainTopics).filter((name) => !topics.sources.includes(name)).map((name) => topic(principal, name, ['write'])),
      ],
    });
  }

  const xref = `${prefix}${INTERNAL_TOPICS.xref}`;
  principals.push({ username: PRINCIPAL_NAMES.worker, role: 'worker', of: 'worker', grants: compactedLog(`User:${PRINCIPAL_NAMES.worker}`, xref, true) });

  const schemas = input.registryTopic ?? `${prefix}${INTERNAL_TOPICS.schemas}`;
  const registry = `User:${PRINCIPAL_NAMES.registry}`;
  principals.push({
    username: PRINCIPAL_NAMES.registry, role: 'registry', of: 'registry',
    grants: [
      ...compactedLog(registry, schemas, true),
      // The election topic is subscribed to, never written; it is created by the first registry.
      topic(registry, ELECTION_TOPIC, ['read', 'create']),
      group(registry, defaultElectionGroup(schemas)),
      // The store's single writer appends in transactions under this id (fencing a writer that lost the election).
      { principal: registry, resource: 'transactional-id', name: writerTransactionalId(schemas), operations: ['write', 'describe'] },
    ],
  });

  const consolePrincipal = `User:${PRINCIPAL_NAMES.console}`;
  const audit = `${prefix}${INTERNAL_TOPICS.audit}`;
  const connectorSources = [...new Set(input.connectors.flatMap((connector) => connectorTopics(connector, prefix).sources))];
  principals.push({
    username: PRINCIPAL_NAMES.console, role: 'console', of: 'admin API',
    grants: [
      // The tracking projection reads every connector's sources; the lag sampler describes them.
      ...connectorSources.map((name) => topic(consolePrincipal, name, ['read', 'describe-configs'])),
      ...input.connectors.flatMap((connector) => {
        const topics = connectorTopics(connector, prefix);
        const groups = connectorGroups(connector.name, prefix);
        return [
          // A replay re-produces a dead letter to the retry topic; the projection reads retries.
          // describe-configs: it makes sure these exist (ensureConnectorTopics, createMissing) as a worker does.
          topic(consolePrincipal, topics.retry, ['read', 'write', 'create', 'describe-configs']),
          topic(consolePrincipal, topics.deadLetter, ['read', 'create', 'describe-configs']),
          // Lag (committed offsets) and resets (offsets set while the group is empty).
          group(consolePrincipal, groups.main, ['read', 'describe']),
          group(consolePrincipal, groups.retry, ['read', 'describe']),
        ];
      }),
      topic(consolePrincipal, audit, ['read', 'write', 'create', 'describe-configs']),
      ...compactedLog(consolePrincipal, xref, false),
      // create: the console makes sure the cross-references topic exists before it tracks.
      topic(consolePrincipal, xref, ['create']),
      group(consolePrincipal, `${prefix}switchboard.tracking.`, ['read'], 'prefixed'),
      ...READER_GROUPS.map((name) => group(consolePrincipal, name, ['read'], 'prefixed')),
    ],
  });

  if (input.cdc) {
    const cdc = `User:${PRINCIPAL_NAMES.cdc}`;
    principals.push({
      username: PRINCIPAL_NAMES.cdc, role: 'cdc', of: 'cdc',
      grants: [
        ...CDC_TABLES.map((spec) => topic(cdc, `${prefix}${cdcTopicName(spec)}`, ['write'])),
        topic(cdc, `${prefix}${INTERNAL_TOPICS.cdcState}`, ['read', 'write', 'create', 'describe-configs']),
        ...READER_GROUPS.map((name) => group(cdc, name, ['read'], 'prefixed')),
      ],
    });
  }
  if (input.webhooks) {
    const webhooks = `User:${PRINCIPAL_NAMES.webhooks}`;
    const topics = [...new Set(input.webhooks.map((eventType) => eventSchema(eventType).topicName(prefix)))];
    principals.push({ username: PRINCIPAL_NAMES.webhooks, role: 'webhooks', of: 'webhooks', grants: topics.map((name) => topic(webhooks, name, ['write'])) });
  }
  return principals;
}
