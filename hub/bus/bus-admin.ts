import kafkajs, { type Admin, type Kafka } from 'kafkajs';
import { aclEntries, type AclGrant } from './acls.js';
import { BusAccessDeniedError, asAccessDenied } from './bus-errors.js';

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

/** A partition's first and next offsets (`high` is where the next record will be written). */
export interface PartitionOffsets {
  readonly partition: number;
  readonly low: string;
  readonly high: string;
}

/** A consumer group's committed offset of one partition; `-1` when nothing is committed. */
export interface CommittedOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/** A consumer group's state as the coordinator reports it (`Empty`, `Stable`, `PreparingRebalance`, `Dead`, ...). */
export interface GroupDescription {
  readonly groupId: string;
  readonly state: string;
  readonly members: number;
}

/**
 * The topic and consumer-group operations Switchboard needs, over kafkajs's admin client. Kept
 * narrow so provisioning (topics/), the runtime's status and control, and the operators'
 * tools do not depend on kafkajs. Create one with `bus.admin()`.
 *
 * @example
 * ```ts
 * const admin = bus.admin();
 * await admin.connect();
 * const ends = await admin.topicOffsets('crm.order.v1');
 * await admin.close();
 * ```
 */
export class BusAdmin {
  private readonly admin: Admin;
  private connected = false;

  /**
   * Use `bus.admin()`; the kafkajs client stays inside hub/bus. `clientFor(broker)` makes a
   * client that talks to that one broker (for checking that every broker sees a new topic).
   */
  constructor(private readonly kafka: Kafka, options: { retries?: number } = {}, private readonly clientFor?: (broker: string) => Kafka) {
    this.admin = options.retries === undefined ? kafka.admin() : kafka.admin({ retry: { retries: options.retries } });
  }

  /**
   * The refusal, when Kafka refuses this principal to describe one of `names`: under ACLs a topic
   * the principal may not see is left out of the topic list, exactly like a topic that does not
   * exist, so a caller that found names missing asks here before saying they do not exist.
   */
  async accessDenial(names: readonly string[]): Promise<BusAccessDeniedError | undefined> {
    const probe = this.kafka.admin({ retry: { retries: 0 } });
    await probe.connect();
    try {
      for (const name of names) {
        try {
          await probe.fetchTopicMetadata({ topics: [name] });
        } catch (error) {
          const denied = asAccessDenied(error, `describing topic ${name}`);
          if (denied instanceof BusAccessDeniedError) return denied;
        }
      }
      return undefined;
    } finally {
      await probe.disconnect().catch(() => undefined);
    }
  }

  /** Connects; rejects with BusAccessDeniedError when the SASL login is refused. */
  async connect(): Promise<void> {
    if (!this.connected) await this.admin.connect().catch((error: unknown) => Promise.reject(asAccessDenied(error, 'the admin client')));
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
    await this.waitOnEveryBroker(topics.map((t) => t.name));
  }

  /**
   * Resolves once every broker of the cluster lists `names` with a leader for every partition.
   * Why: in KRaft, CreateTopics returns when the controllers have committed the topic, but each
   * broker applies that metadata on its own schedule; for up to a second a lagging broker answers
   * UNKNOWN_TOPIC_OR_PARTITION, and a consumer that subscribes through it fails at once (kafkajs
   * does not retry that answer). On one broker this is a single extra metadata request.
   */
  async waitOnEveryBroker(names: readonly string[], timeoutMs = 30_000): Promise<void> {
    if (!this.clientFor || names.length === 0) return;
    const { brokers } = await this.admin.describeCluster();
    await Promise.all(
      brokers.map(async ({ host, port }) => {
        const single = this.clientFor?.(`${host}:${port}`).admin({ retry: { retries: 0 } });
        if (!single) return;
        await single.connect();
        try {
          await waitForTopicLeaders(single, names, timeoutMs);
        } finally {
          await single.disconnect().catch(() => undefined);
        }
      }),
    );
  }

  /** Creates those of `topics` that do not exist yet (existing ones are left as they are); another process creating one at the same moment is fine. */
  async createMissing(topics: readonly DesiredTopic[]): Promise<void> {
    const existing = await this.describe(topics.map((t) => t.name), []);
    const missing = topics.filter((topic) => !existing.has(topic.name));
    try {
      await this.create(missing);
    } catch (error) {
      const now = await this.describe(missing.map((t) => t.name), []);
      if (now.size < missing.length) throw error;
    }
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
    await this.waitOnEveryBroker([name]);
  }

  /** The node ids of the brokers the cluster reports, ascending. */
  async brokerIds(): Promise<number[]> {
    const cluster = await this.admin.describeCluster();
    return cluster.brokers.map((broker) => broker.nodeId).sort((a, b) => a - b);
  }

  /** Every topic name on the cluster. */
  list(): Promise<string[]> {
    return this.admin.listTopics();
  }

  /** Deletes topics; used by tests to clean up their prefixed topics. */
  async delete(names: readonly string[]): Promise<void> {
    if (names.length > 0) await this.admin.deleteTopics({ topics: [...names] });
  }

  /** Every partition's low and high offset (retried while a just-created topic settles). */
  topicOffsets(topic: string): Promise<PartitionOffsets[]> {
    return fetchTopicOffsetsWhenReady(this.admin, topic).catch((error: unknown) => Promise.reject(asAccessDenied(error, `reading the offsets of ${topic}`)));
  }

  /** A group's committed offsets on `topics`. */
  async committedOffsets(groupId: string, topics: readonly string[]): Promise<CommittedOffset[]> {
    if (topics.length === 0) return [];
    const fetched = await this.admin.fetchOffsets({ groupId, topics: [...topics] });
    return fetched.flatMap(({ topic, partitions }) => partitions.map(({ partition, offset }) => ({ topic, partition, offset })));
  }

  /** Per partition, the offset of the first record at or after `timestamp` (epoch ms), or the end. */
  async offsetsAtTimestamp(topic: string, timestamp: number): Promise<{ partition: number; offset: string }[]> {
    return (await this.admin.fetchTopicOffsetsByTimestamp(topic, timestamp)).map(({ partition, offset }) => ({ partition, offset }));
  }

  /** Sets a group's committed offsets; Kafka refuses while the group has members. */
  async setCommittedOffsets(groupId: string, topic: string, partitions: readonly { partition: number; offset: string }[]): Promise<void> {
    await this.admin.setOffsets({ groupId, topic, partitions: partitions.map(({ partition, offset }) => ({ partition, offset })) });
  }

  /**
   * Grants ACLs (ALLOW) and resolves once the cluster lists every one of them; Kafka ignores an
   * ACL it already has, so granting again is harmless. Needs a principal allowed to alter ACLs.
   */
  async grantAcls(grants: readonly AclGrant[], timeoutMs = 30_000): Promise<void> {
    const entries = aclEntries(grants);
    if (entries.length === 0) return;
    await this.admin.createAcls({ acl: entries });
    const deadline = Date.now() + timeoutMs;
    for (const entry of entries) {
      for (;;) {
        const { resources } = await this.admin.describeAcls({ ...entry });
        if (resources.some((resource) => resource.acls.some((acl) => acl.principal === entry.principal && acl.operation === entry.operation))) break;
        if (Date.now() > deadline) throw new Error(`the cluster does not list the ACL of ${entry.principal} on ${entry.resourceName} after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }

  /** A consumer group's state and member count. */
  async describeGroup(groupId: string): Promise<GroupDescription> {
    const [group] = await this.describeGroups([groupId]);
    return group;
  }

  /** Several consumer groups' states and member counts in one request, in the order asked. */
  async describeGroups(groupIds: readonly string[]): Promise<GroupDescription[]> {
    if (groupIds.length === 0) return [];
    const { groups } = await this.admin.describeGroups([...groupIds]);
    return groupIds.map((groupId) => {
      const group = groups.find((candidate) => candidate.groupId === groupId);
      return { groupId, state: group?.state ?? 'Dead', members: group?.members.length ?? 0 };
    });
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
