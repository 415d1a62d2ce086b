import type { Redis } from 'ioredis';
import { stateKey } from '../state/redis.js';

/**
 * What became of a dead letter. `replaying` is the short moment between claiming a replay and
 * the broker acknowledging the replayed record (or a claim left by a process that died then,
 * which another replay takes over once it expired).
 */
export type DeadLetterStatus = 'open' | 'replaying' | 'replayed' | 'discarded';

/** The mark an operator's action leaves on a dead letter; a dead letter without one is open. */
export interface DeadLetterMark {
  readonly status: Exclude<DeadLetterStatus, 'open'>;
  readonly at: string;
  /** Who did it (a token name), when known. */
  readonly by?: string;
  readonly reason?: string;
  /** For `replaying`: epoch ms after which the claim counts as abandoned. */
  readonly expiresAt?: number;
}

/**
 * Claims a replay unless the dead letter already has a mark; a `replaying` claim that expired
 * (its process died before it could produce) is taken over. Returns nil when claimed, else the
 * mark that stands.
 */
const CLAIM_REPLAY = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current then
  local ok, mark = pcall(cjson.decode, current)
  if not (ok and mark.status == 'replaying' and tonumber(mark.expiresAt or 0) < tonumber(ARGV[3])) then
    return current
  end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return false
`;

/** Deletes a mark only while it is still the given one (a released claim never removes a later mark). */
const RELEASE = `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  return redis.call('HDEL', KEYS[1], ARGV[1])
end
return 0
`;

/**
 * The marks of dead letters, one Redis hash per connector (`switchboard:dlq:<connector>`, field
 * = dead-letter id). The dead-letter topic itself is never rewritten. Claims are atomic, so two
 * operators replaying the same dead letter at once replay it once.
 *
 * @example
 * ```ts
 * const marks = new DeadLetterMarks(redis, prefix);
 * const standing = await marks.claimReplay('crm-order-to-erp', '0:12', 'alice');
 * if (standing === undefined) {
 *   await producer.send(replayRecordOf(letter, prefix)); // on failure: await marks.release('crm-order-to-erp', '0:12')
 *   await marks.confirmReplay('crm-order-to-erp', '0:12', 'alice');
 * }
 * ```
 */
export class DeadLetterMarks {
  /** The claims this instance holds and has not confirmed or released, by `connector\nid`. */
  private readonly claims = new Map<string, string>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Every mark of one connector, by dead-letter id. */
  async all(connector: string): Promise<Map<string, DeadLetterMark>> {
    return parseMarks(await this.redis.hgetall(this.key(connector)));
  }

  /** Every mark of several connectors in one round trip. */
  async allOf(connectors: readonly string[]): Promise<Map<string, Map<string, DeadLetterMark>>> {
    const pipeline = this.redis.pipeline();
    for (const connector of connectors) pipeline.hgetall(this.key(connector));
    const answers = (await pipeline.exec()) ?? [];
    return new Map(connectors.map((connector, i) => {
      const [error, fields] = answers[i] ?? [null, {}];
      if (error) throw error;
      return [connector, parseMarks(fields as Record<string, string>)];
    }));
  }

  async set(connector: string, id: string, mark: DeadLetterMark): Promise<void> {
    await this.redis.hset(this.key(connector), id, JSON.stringify(mark));
  }

  /**
   * Claims the replay of a dead letter for `by`. Resolves undefined when the claim is ours (then
   * produce the record and `confirmReplay`, or `release` when producing failed), or with the
   * mark that stands (replayed, being replayed, or discarded).
   */
  async claimReplay(connector: string, id: string, by: string, ttlMs = 120_000): Promise<DeadLetterMark | undefined> {
    const now = Date.now();
    const claim: DeadLetterMark = { status: 'replaying', at: new Date(now).toISOString(), by, expiresAt: now + ttlMs };
    const standing = (await this.redis.eval(CLAIM_REPLAY, 1, this.key(connector), id, JSON.stringify(claim), String(now))) as string | null;
    if (standing === null) {
      this.claims.set(`${connector}\n${id}`, JSON.stringify(claim));
      return undefined;
    }
    return JSON.parse(standing) as DeadLetterMark;
  }

  /** Turns our claim into the `replayed` mark, once the replayed record is acknowledged. */
  async confirmReplay(connector: string, id: string, by: string, reason?: string): Promise<void> {
    this.claims.delete(`${connector}\n${id}`);
    await this.set(connector, id, { status: 'replayed', at: new Date().toISOString(), by, ...(reason ? { reason } : {}) });
  }

  /** Gives up a claim taken by `claimReplay` (producing failed), so the dead letter is open again. */
  async release(connector: string, id: string): Promise<void> {
    const claim = this.claims.get(`${connector}\n${id}`);
    this.claims.delete(`${connector}\n${id}`);
    if (claim !== undefined) await this.redis.eval(RELEASE, 1, this.key(connector), id, claim);
  }

  /** Marks a dead letter discarded unless it has a mark already; resolves undefined when done, else with the mark that stands. */
  async claimDiscard(connector: string, id: string, mark: DeadLetterMark): Promise<DeadLetterMark | undefined> {
    for (;;) {
      if ((await this.redis.hsetnx(this.key(connector), id, JSON.stringify(mark))) === 1) return undefined;
      const standing = await this.redis.hget(this.key(connector), id);
      // Null: a replay claim was released between the two calls; the dead letter is open again.
      if (standing !== null) return JSON.parse(standing) as DeadLetterMark;
    }
  }

  private key(connector: string): string {
    return stateKey(this.prefix, 'dlq', connector);
  }
}

function parseMarks(fields: Record<string, string>): Map<string, DeadLetterMark> {
  const marks = new Map<string, DeadLetterMark>();
  for (const [id, text] of Object.entries(fields)) {
    try {
      marks.set(id, JSON.parse(text) as DeadLetterMark);
    } catch {
      // A mark nobody can read leaves the dead letter open: an operator can still act on it.
    }
  }
  return marks;
}
