import type { Redis } from 'ioredis';
import { stateKey } from './redis.js';
import { stateCall } from './state-errors.js';

/**
 * Which keys of a connector have events parked in its retry topic, and in what order.
 *
 * Why: once an event of a key is parked, later events of that key must not overtake it. The
 * main consumer asks `isParked(key)` and parks later events behind it; the retry consumer
 * applies a parked event only when it is the head of its key's queue. The queue lives in
 * Redis (a list of park ids per key) so every worker of the connector sees the same order.
 * Redis being away surfaces as a retriable StateUnavailableError.
 */
export class ParkedKeys {
  constructor(
    private readonly redis: Redis,
    private readonly namespace: string,
    private readonly connector: string,
  ) {}

  async isParked(key: string): Promise<boolean> {
    return (await stateCall('parked-key check', () => this.redis.exists(this.listKey(key)))) === 1;
  }

  /**
   * Which of `keys` have parked events: one round trip while none has (EXISTS over all of
   * them counts 0, the usual case), a second to tell which when some have.
   */
  async parkedAmong(keys: readonly string[]): Promise<Set<string>> {
    const distinct = [...new Set(keys)];
    if (distinct.length === 0 || (await stateCall('parked-key check', () => this.redis.exists(distinct.map((key) => this.listKey(key))))) === 0) return new Set();
    const pipeline = this.redis.pipeline();
    for (const key of distinct) pipeline.exists(this.listKey(key));
    const results = (await stateCall('parked-key check', () => pipeline.exec())) ?? [];
    return new Set(distinct.filter((_, i) => {
      const [error, count] = results[i] ?? [];
      if (error) throw error;
      return count === 1;
    }));
  }

  /** Appends `parkId` to the key's queue unless it is there already (a redelivered park). */
  async enqueue(key: string, parkId: string): Promise<void> {
    const listKey = this.listKey(key);
    if ((await stateCall('parked-key queue', () => this.redis.lpos(listKey, parkId))) !== null) return;
    await stateCall('parked-key queue', () => this.redis.rpush(listKey, parkId));
  }

  /** 'head' when `parkId` is first in its key's queue, 'waiting' when behind others, 'absent' when not queued. */
  async position(key: string, parkId: string): Promise<'head' | 'waiting' | 'absent'> {
    const index = await stateCall('parked-key queue', () => this.redis.lpos(this.listKey(key), parkId));
    if (index === null) return 'absent';
    return index === 0 ? 'head' : 'waiting';
  }

  /** Removes `parkId` from its key's queue (applied or dead-lettered); the key is free when the queue is empty. */
  async remove(key: string, parkId: string): Promise<void> {
    await stateCall('parked-key queue', () => this.redis.lrem(this.listKey(key), 0, parkId));
  }

  /** How many keys have parked events (for status). */
  async count(): Promise<number> {
    let cursor = '0';
    let total = 0;
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', this.listKey('*'), 'COUNT', 500);
      cursor = next;
      total += keys.length;
    } while (cursor !== '0');
    return total;
  }

  private listKey(key: string): string {
    return stateKey(this.namespace, 'parked', this.connector, key);
  }
}
