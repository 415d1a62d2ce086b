import kafkajs, { type Admin, type Kafka } from 'kafkajs';

// kafkajs is CommonJS; Node's ESM loader cannot see every named export.
const { ConfigResourceTypes } = kafkajs;

/** What a topic should look like; `configs` are Kafka topic-level settings (`retention.ms`, ...). */
export interface DesiredTopic {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly configs: Readonly<Record<string, string>>;
}

/** What a topic looks like now. */
export interface ExistingTopic {
  readonly name: string;
  readonly partitions: number;
  readonly configs: Readonly<Record<string, string>>;
}

/**
 * The topic operations Switchboard needs, over kafkajs's admin client. Kept narrow so the
 * provisioning logic (topics/) does not depend on kafkajs.
 */
export class TopicAdmin {
  private readonly admin: Admin;
  private connected = false;

  constructor(kafka: Kafka) {
    this.admin = kafka.admin();
  }

  async connect(): Promise<void> {
    if (!this.connected) await this.admin.connect();
    this.connected = true;
  }

  async close(): Promise<void> {
    if (this.connected) await this.admin.disconnect();
    this.connected = false;
  }

  /** Existing topics among `names`, with partition counts and the named config keys. */
  async describe(names: readonly string[], configKeys: readonly string[]): Promise<Map<string, ExistingTopic>> {
    const all = new Set(await this.admin.listTopics());
    const present = names.filter((name) => all.has(name));
    const result = new Map<string, ExistingTopic>();
    if (present.length === 0) return result;
    const metadata = await this.admin.fetchTopicMetadata({ topics: present });
    const configs = await this.admin.describeConfigs({
      includeSynonyms: false,
      resources: present.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: [...configKeys] })),
    });
    for (const topic of metadata.topics) {
      const resource = configs.resources.find((r) => r.resourceName === topic.name);
      const values: Record<string, string> = {};
      for (const entry of resource?.configEntries ?? []) values[entry.configName] = entry.configValue;
      result.set(topic.name, { name: topic.name, partitions: topic.partitions.length, configs: values });
    }
    return result;
  }

  async create(topics: readonly DesiredTopic[]): Promise<void> {
    if (topics.length === 0) return;
    await this.admin.createTopics({
      waitForLeaders: false, // see waitForTopicLeaders
      topics: topics.map((t) => ({
        topic: t.name,
        numPartitions: t.partitions,
        replicationFactor: t.replicationFactor,
        configEntries: Object.entries(t.configs).map(([name, value]) => ({ name, value })),
      })),
    });
    await waitForTopicLeaders(this.admin, topics.map((t) => t.name));
  }

  /** Sets the given config keys (others keep their values: incremental semantics via full re-statement). */
  async alterConfigs(name: string, configs: Readonly<Record<string, string>>): Promise<void> {
    await this.admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name, configEntries: Object.entries(configs).map(([n, value]) => ({ name: n, value })) }],
    });
  }

  /** Raises a topic's partition count (Kafka cannot lower it). */
  async addPartitions(name: string, count: number): Promise<void> {
    await this.admin.createPartitions({ topicPartitions: [{ topic: name, count }] });
  }

  /** Every topic name on the cluster. */
  list(): Promise<string[]> {
    return this.admin.listTopics();
  }

  /** Deletes topics; used by tests to clean up their prefixed topics. */
  async delete(names: readonly string[]): Promise<void> {
    if (names.length > 0) await this.admin.deleteTopics({ topics: [...names] });
  }
}

/**
 * Polls metadata until every partition of `names` has a leader. Used after creating topics
 * instead of kafkajs's `waitForLeaders`, which gives up on UNKNOWN_TOPIC_OR_PARTITION — what a
 * KRaft broker answers for a moment after creation (tulios/kafkajs#1563).
 */
export async function waitForTopicLeaders(admin: Admin, names: readonly string[], timeoutMs = 30000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [...names] });
      if (topics.length === names.length && topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`topics ${names.join(', ')} have no leaders after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A topic's low and high offsets per partition. Right after creation a KRaft broker may still
 * answer NOT_LEADER or UNKNOWN_TOPIC_OR_PARTITION to ListOffsets although metadata already
 * names the leader; those answers are retriable (kafkajs marks them so) and are retried here.
 */
export async function fetchTopicOffsetsWhenReady(admin: Admin, topic: string, timeoutMs = 30000): Promise<{ partition: number; low: string; high: string }[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await admin.fetchTopicOffsets(topic);
    } catch (error) {
      if ((error as { retriable?: unknown }).retriable !== true || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
