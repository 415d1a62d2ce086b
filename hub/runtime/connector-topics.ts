import { asAccessDenied, type Bus, type BusConfig, type DesiredTopic } from '../bus/index.js';
import { sleep } from '../retry/index.js';
import { ERRORS, SwitchboardError } from '../errors/index.js';
import { INTERNAL_TOPICS, catalogueTopics } from '../../catalogue/index.js';
import type { ConnectorDefinition } from '../sdk/types.js';

const DAY_MS = 24 * 3600 * 1000;

/** A connector's source topic does not exist: topics are provisioned by `switchboard topics apply`. */
export class SourceTopicMissingError extends SwitchboardError {
  constructor(connector: string, topics: readonly string[]) {
    super(ERRORS.RUNTIME_TOPIC_MISSING.code, `connector ${connector}: source topic(s) ${topics.join(', ')} do not exist; run \`switchboard topics apply\``);
  }
}

/** The topic names one connector uses, behind the runtime's prefix. */
export interface ConnectorTopics {
  readonly sources: readonly string[];
  readonly retry: string;
  readonly deadLetter: string;
}

export function connectorTopics(connector: ConnectorDefinition, prefix: string): ConnectorTopics {
  return {
    sources: connector.source.topics.map((name) => `${prefix}${name}`),
    retry: `${prefix}${INTERNAL_TOPICS.retry(connector.name)}`,
    deadLetter: `${prefix}${INTERNAL_TOPICS.deadLetter(connector.name)}`,
  };
}

/** The consumer groups of a connector: its source group and its retry-topic group. */
export function connectorGroups(connector: string, prefix: string): { main: string; retry: string } {
  const main = `${prefix}switchboard.connector.${connector}`;
  return { main, retry: `${main}.retry` };
}

/** A connector's dead-letter topic as it is created: one partition (one ordered list for operators), kept 90 days. */
export function deadLetterTopic(name: string, config: Pick<BusConfig, 'replicationFactor' | 'minInsyncReplicas'>): DesiredTopic {
  return { name, partitions: 1, replicationFactor: config.replicationFactor, configs: { 'retention.ms': String(90 * DAY_MS), 'min.insync.replicas': String(config.minInsyncReplicas) } };
}

/**
 * Checks that the source topics exist and creates the connector's retry topic (as many
 * partitions as its widest source, so parked events keep spreading by key) and dead-letter
 * topic (one partition: one ordered list for operators) when missing.
 */
export async function ensureConnectorTopics(bus: Bus, connector: ConnectorDefinition, topics: ConnectorTopics): Promise<void> {
  const admin = bus.admin();
  await admin.connect();
  try {
    let existing = await admin.describe([...topics.sources, topics.retry, topics.deadLetter], []);
    // Under ACLs a topic this principal may not read looks missing: say so instead.
    const hidden = topics.sources.filter((name) => !existing.has(name));
    if (hidden.length > 0) {
      const denied = await admin.accessDenial(hidden);
      if (denied) throw denied;
    }
    // A topic created a moment ago may not have reached the broker that answered yet (KRaft
    // brokers apply new metadata on their own schedule): look again for a few seconds.
    for (let attempt = 0; attempt < 10 && topics.sources.some((name) => !existing.has(name)); attempt++) {
      await sleep(500);
      existing = await admin.describe([...topics.sources, topics.retry, topics.deadLetter], []);
    }
    const missing = topics.sources.filter((name) => !existing.has(name));
    if (missing.length > 0) throw new SourceTopicMissingError(connector.name, missing);
    const widest = Math.max(...catalogueTopics().filter((spec) => connector.source.topics.includes(spec.name)).map((spec) => spec.partitions), 1);
    const { replicationFactor, minInsyncReplicas } = bus.config;
    const common = { replicationFactor };
    const wanted = [
      { name: topics.retry, partitions: widest, ...common, configs: { 'retention.ms': String(14 * DAY_MS), 'min.insync.replicas': String(minInsyncReplicas) } },
      deadLetterTopic(topics.deadLetter, bus.config),
    ].filter((topic) => !existing.has(topic.name));
    try {
      await admin.create(wanted);
    } catch (error) {
      // Another worker of the same connector may have created them a moment ago.
      const now = await admin.describe(wanted.map((t) => t.name), []);
      if (now.size < wanted.length) throw asAccessDenied(error, `creating ${wanted.map((t) => t.name).join(', ')}`);
    }
  } finally {
    await admin.close();
  }
}
