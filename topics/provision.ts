import { type DesiredTopic, type BusAdmin } from '../hub/bus/index.js';
import { catalogueTopics, type CatalogueTopic } from './catalogue.js';

/** Settings that differ between a laptop (one broker) and a cluster (three or more). */
export interface ProvisionSettings {
  readonly replicationFactor: number;
  readonly minInsyncReplicas: number;
  /** Isolates a test run or a tenant: `t42.crm.customer.v1`. */
  readonly prefix?: string;
}

export interface ProvisionResult {
  readonly created: string[];
  readonly updated: string[];
  readonly unchanged: string[];
}

const MANAGED_CONFIGS = ['cleanup.policy', 'retention.ms', 'min.insync.replicas'] as const;

/** The Kafka topic a catalogue entry describes, with the deployment's replication settings. */
export function desiredTopic(spec: CatalogueTopic, settings: ProvisionSettings): DesiredTopic {
  return {
    name: `${settings.prefix ?? ''}${spec.name}`,
    partitions: spec.partitions,
    replicationFactor: settings.replicationFactor,
    configs: {
      'cleanup.policy': spec.cleanupPolicy,
      'retention.ms': String(spec.retentionMs),
      'min.insync.replicas': String(settings.minInsyncReplicas),
    },
  };
}

/**
 * Makes the broker's topics match the catalogue: creates missing topics, brings managed
 * configs back to the catalogue's values, and adds partitions when the catalogue has more.
 * Running it again changes nothing. Partitions are never removed (Kafka cannot), and a
 * topic with more partitions than the catalogue says is left as it is.
 */
export async function applyTopics(
  admin: BusAdmin,
  settings: ProvisionSettings,
  specs: readonly CatalogueTopic[] = catalogueTopics(),
): Promise<ProvisionResult> {
  const desired = specs.map((spec) => desiredTopic(spec, settings));
  const existing = await admin.describe(desired.map((t) => t.name), MANAGED_CONFIGS);
  const result: ProvisionResult = { created: [], updated: [], unchanged: [] };

  const missing = desired.filter((t) => !existing.has(t.name));
  await admin.create(missing);
  result.created.push(...missing.map((t) => t.name));

  for (const topic of desired) {
    const current = existing.get(topic.name);
    if (!current) continue;
    let changed = false;
    if (MANAGED_CONFIGS.some((key) => current.configs[key] !== topic.configs[key])) {
      await admin.alterConfigs(topic.name, topic.configs);
      changed = true;
    }
    if (current.partitions < topic.partitions) {
      await admin.addPartitions(topic.name, topic.partitions);
      changed = true;
    }
    (changed ? result.updated : result.unchanged).push(topic.name);
  }
  return result;
}
