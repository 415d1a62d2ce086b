import type { Redis } from 'ioredis';
import { stateKey } from './redis.js';
import { stateCall } from './state-errors.js';

/** Where an applied event sat on its source topic. */
export interface AppliedPosition {
  readonly partition: number;
  readonly offset: bigint;
}

/** Keeps the highest `<partition>:<offset>` per key: a late write of an older position does not lower it. */
const RAISE = `
local current = redis.call('GET', KEYS[1])
if current then
  local sep = string.find(current, ':', 1, true)
  local partition, offset = string.sub(current, 1, sep - 1), string.sub(current, sep + 1)
  if partition == ARGV[1] and (string.len(offset) > string.len(ARGV[2]) or (string.len(offset) == string.len(ARGV[2]) and offset >= ARGV[2])) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1] .. ':' .. ARGV[2], 'EX', ARGV[3])
return 1
`;

/**
 * The source position of the latest event of each key a connector applied, per source topic:
 * `switchboard:applied:<connector>:<topic>:<key>` = `<partition>:<offset>`, kept as long as
 * the completed keys. Why: a dead letter replayed after later events of its key were applied
 * would undo them; the runtime compares the dead letter's original position with this one and
 * refuses such a stale replay (`SWB_ERR_RUNTIME_REPLAY_STALE`).
 *
 * Offsets are compared as decimal strings of equal length first (Kafka offsets are 64-bit), so
 * the Lua script never loses precision.
 *
 * @example
 * ```ts
 * const applied = new AppliedPositions(redis, '', 'crm-order-to-erp', 604_800);
 * await applied.record('crm.order.v1', 'O-1', 2, '41');
 * await applied.latest('crm.order.v1', 'O-1'); // { partition: 2, offset: 41n }
 * ```
 */
export class AppliedPositions {
  constructor(
    private readonly redis: Redis,
    private readonly namespace: string,
    private readonly connector: string,
    private readonly ttlSeconds: number,
  ) {}

  /** Records that the event at `partition`/`offset` of `topic` was applied for `key`, unless a later one of the same partition was. */
  async record(topic: string, key: string, partition: number, offset: string): Promise<void> {
    await stateCall('applied-position write', () => this.redis.eval(RAISE, 1, this.key(topic, key), String(partition), offset, String(this.ttlSeconds)));
  }

  /** The latest applied position of `key` on `topic`, or undefined when none is remembered. */
  async latest(topic: string, key: string): Promise<AppliedPosition | undefined> {
    const raw = await stateCall('applied-position check', () => this.redis.get(this.key(topic, key)));
    if (raw === null) return undefined;
    const [partition, offset] = raw.split(':');
    return { partition: Number(partition), offset: BigInt(offset) };
  }

  private key(topic: string, key: string): string {
    return stateKey(this.namespace, 'applied', this.connector, topic, key);
  }
}
