import type { Redis } from 'ioredis';
import type { Bus, BusAdmin } from '../bus/index.js';
import { stateKey } from '../state/redis.js';
import type { Logger } from '../log/logger.js';
import { ERRORS, SwitchboardError } from '../errors/index.js';
import { sleep } from '../retry/index.js';

/** What the operator wants a connector's workers to do. */
export type DesiredState = 'running' | 'paused' | 'resetting';

/** The persisted desired state; `previous` is what a reset returns to. */
export interface ControlState {
  readonly state: DesiredState;
  readonly previous?: 'running' | 'paused';
  readonly updatedAt: string;
}

/** One partition's offset to reset a connector's group to. */
export interface TopicPartitionOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/** Messages on `switchboard:control:<connector>`: re-read the desired state, or restart now. */
export type ControlMessage = { readonly command: 'converge' } | { readonly command: 'restart' };

/** A control operation that could not complete (e.g. the group did not empty for a reset). */
export class ControlError extends SwitchboardError {
  constructor(message: string) {
    super(ERRORS.RUNTIME_CONTROL.code, message);
  }
}

const HASH = 'control';

function channel(namespace: string, connector: string): string {
  return stateKey(namespace, 'control', connector);
}

/** Reads a connector's desired state; 'running' when nobody set one. */
export async function readControlState(redis: Redis, namespace: string, connector: string): Promise<ControlState> {
  const raw = await redis.hget(stateKey(namespace, HASH), connector);
  return raw ? (JSON.parse(raw) as ControlState) : { state: 'running', updatedAt: new Date(0).toISOString() };
}

/** Every connector's desired state that was ever set, by connector (one Redis round trip); absent ones are 'running'. */
export async function readControlStates(redis: Redis, namespace: string): Promise<Map<string, ControlState>> {
  const all = await redis.hgetall(stateKey(namespace, HASH));
  return new Map(Object.entries(all).map(([connector, raw]) => [connector, JSON.parse(raw) as ControlState]));
}

/**
 * The worker's end of the control channel: a Redis subscription on
 * `switchboard:control:<connector>` plus a poll of the persisted state (so a missed message
 * or a worker started later still converges within seconds).
 */
export class ControlSubscription {
  private subscriber: Redis | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly namespace: string,
    private readonly connector: string,
    private readonly onMessage: (message: ControlMessage) => void,
    private readonly pollMs = 3000,
  ) {}

  async start(): Promise<void> {
    const subscriber = this.redis.duplicate();
    this.subscriber = subscriber;
    subscriber.on('message', (_channel: string, text: string) => {
      try {
        this.onMessage(JSON.parse(text) as ControlMessage);
      } catch {
        // A malformed message changes nothing; the poll still converges.
      }
    });
    await subscriber.subscribe(channel(this.namespace, this.connector));
    this.timer = setInterval(() => this.onMessage({ command: 'converge' }), this.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.subscriber) {
      this.subscriber.disconnect();
      this.subscriber = undefined;
    }
  }
}

/**
 * The operator's end: pause, resume, restart and reset (to a timestamp or to offsets) of one connector, obeyed
 * by all its workers within seconds (used by the console and tests).
 *
 * @example
 * ```ts
 * const control = new ConnectorControl({ redis, bus, logger });
 * await control.pause('crm-order-to-erp');
 * const { main } = connectorGroups('crm-order-to-erp', '');
 * await control.resetToTimestamp('crm-order-to-erp', Date.parse('2024-05-06T00:00:00Z'), ['crm.order.v1'], main);
 * ```
 */
export class ConnectorControl {
  private readonly redis: Redis;
  private readonly bus: Bus;
  private readonly namespace: string;
  private readonly logger: Logger;

  constructor(options: { redis: Redis; bus: Bus; logger: Logger; namespace?: string }) {
    this.redis = options.redis;
    this.bus = options.bus;
    this.namespace = options.namespace ?? '';
    this.logger = options.logger;
  }

  state(connector: string): Promise<ControlState> {
    return readControlState(this.redis, this.namespace, connector);
  }

  async pause(connector: string): Promise<void> {
    await this.setState(connector, { state: 'paused', updatedAt: new Date().toISOString() });
  }

  async resume(connector: string): Promise<void> {
    await this.setState(connector, { state: 'running', updatedAt: new Date().toISOString() });
  }

  /** Every worker stops its consumers gracefully and starts them again (rejoining the group). */
  async restart(connector: string): Promise<void> {
    await this.publish(connector, { command: 'restart' });
  }

  /**
   * Moves the connector's committed offsets on `topics` to the first record at or after
   * `timestamp` (epoch ms): workers stop their consumers, the offsets are set once the group
   * is empty (Kafka refuses otherwise), then the previous state (running or paused) returns.
   * Events after the timestamp are delivered again; targets deduplicate what was applied.
   */
  async resetToTimestamp(connector: string, timestamp: number, topics: readonly string[], groupId: string, timeoutMs = 60_000): Promise<void> {
    await this.reset(connector, groupId, timeoutMs, async (admin) => {
      for (const topic of topics) {
        await admin.setCommittedOffsets(groupId, topic, await admin.offsetsAtTimestamp(topic, timestamp));
      }
    });
    this.logger.info({ connector, timestamp: new Date(timestamp).toISOString() }, 'connector offsets reset');
  }

  /**
   * Sets the connector's committed offsets of the given partitions, the same way as
   * `resetToTimestamp` (workers stop, the group empties, the previous state returns). Partitions
   * not named keep their offsets. The offsets are not checked here: the caller keeps them within
   * each partition's range (the admin API does).
   *
   * @example
   * ```ts
   * await control.resetToOffsets('crm-order-to-erp', [{ topic: 'crm.order.v1', partition: 2, offset: '1200' }], main);
   * ```
   */
  async resetToOffsets(connector: string, offsets: readonly TopicPartitionOffset[], groupId: string, timeoutMs = 60_000): Promise<void> {
    const byTopic = new Map<string, { partition: number; offset: string }[]>();
    for (const { topic, partition, offset } of offsets) byTopic.set(topic, [...(byTopic.get(topic) ?? []), { partition, offset }]);
    await this.reset(connector, groupId, timeoutMs, async (admin) => {
      for (const [topic, partitions] of byTopic) await admin.setCommittedOffsets(groupId, topic, partitions);
    });
    this.logger.info({ connector, partitions: offsets.length }, 'connector offsets reset');
  }

  /** Stops the workers' consumers, waits for the group to empty, runs `apply`, then restores the previous state. */
  private async reset(connector: string, groupId: string, timeoutMs: number, apply: (admin: BusAdmin) => Promise<void>): Promise<void> {
    const current = await this.state(connector);
    const previous = current.state === 'resetting' ? (current.previous ?? 'running') : current.state;
    await this.setState(connector, { state: 'resetting', previous, updatedAt: new Date().toISOString() });
    const admin = this.bus.admin();
    await admin.connect();
    try {
      await waitForEmptyGroup(admin, groupId, timeoutMs);
      await apply(admin);
    } finally {
      await admin.close();
      await this.setState(connector, { state: previous, updatedAt: new Date().toISOString() });
    }
  }

  private async setState(connector: string, state: ControlState): Promise<void> {
    await this.redis.hset(stateKey(this.namespace, HASH), connector, JSON.stringify(state));
    await this.publish(connector, { command: 'converge' });
  }

  private async publish(connector: string, message: ControlMessage): Promise<void> {
    await this.redis.publish(channel(this.namespace, connector), JSON.stringify(message));
  }
}

async function waitForEmptyGroup(admin: BusAdmin, groupId: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { state, members } = await admin.describeGroup(groupId);
    if (state === 'Empty' || state === 'Dead' || members === 0) return;
    if (Date.now() > deadline) throw new ControlError(`consumer group ${groupId} still has members (${state}) after ${timeoutMs} ms; offsets not reset`);
    await sleep(250);
  }
}
