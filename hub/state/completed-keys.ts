import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { stateKey } from './redis.js';
import { stateCall } from './state-errors.js';

/** Sets every key of KEYS to ARGV[1] for ARGV[2] seconds: a group of marks in one command. */
const MARK_ALL = "for _, key in ipairs(KEYS) do redis.call('SET', key, ARGV[1], 'EX', ARGV[2]) end return #KEYS";
const MARK_ALL_SHA = createHash('sha1').update(MARK_ALL).digest('hex');

/** One `add` waiting for the write it joined. */
interface PendingMark {
  readonly key: string;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Idempotency keys whose effect is done, remembered in Redis for a while: the runtime checks
 * them before performing an effect a target cannot deduplicate itself (producing an event),
 * and skips whole events that were already applied when they are redelivered. Redis being
 * away surfaces as a retriable StateUnavailableError (every mark of a failed write gets it).
 *
 * Round trips, not commands, are what a worker pays for (a write to the socket costs tens of
 * microseconds on a busy machine): `hasMany` reads the keys of a whole fetched batch in one
 * MGET, and concurrent `add`s share one write of one command, a small Lua script setting them
 * all (group commit: the marks that arrive while a write is in flight go together in the next
 * one). Each `add` still resolves only once its own mark is acknowledged.
 *
 * @example
 * ```ts
 * const completed = new CompletedKeys(redis, '', 7 * 24 * 3600);
 * const [done] = await completed.hasMany(['crm-order-to-erp:6f1c...']);
 * if (!done) { await apply(); await completed.add('crm-order-to-erp:6f1c...'); }
 * ```
 */
export class CompletedKeys {
  private pending: PendingMark[] = [];
  private writing = false;

  constructor(
    private readonly redis: Redis,
    private readonly namespace: string,
    private readonly ttlSeconds: number,
  ) {}

  async has(idempotencyKey: string): Promise<boolean> {
    return (await stateCall('completed-key check', () => this.redis.exists(this.key(idempotencyKey)))) === 1;
  }

  /** Whether each key is done, in the order given: one round trip for all of them. */
  async hasMany(idempotencyKeys: readonly string[]): Promise<boolean[]> {
    if (idempotencyKeys.length === 0) return [];
    const values = await stateCall('completed-key check', () => this.redis.mget(idempotencyKeys.map((key) => this.key(key))));
    return values.map((value) => value !== null);
  }

  /** Marks `idempotencyKey` done; resolves once Redis acknowledged the mark. */
  add(idempotencyKey: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ key: this.key(idempotencyKey), resolve, reject });
      // After the current microtasks: the marks of every event settling in this turn join one write.
      if (!this.writing && this.pending.length === 1) process.nextTick(() => void this.write());
    });
  }

  /** Writes what is pending, one pipeline at a time, until nothing is. */
  private async write(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      while (this.pending.length > 0) {
        const marks = this.pending;
        this.pending = [];
        try {
          await stateCall('completed-key write', () => this.markAll(marks.map((mark) => mark.key)));
          for (const mark of marks) mark.resolve();
        } catch (error) {
          for (const mark of marks) mark.reject(error);
        }
      }
    } finally {
      this.writing = false;
    }
  }

  /** One EVALSHA for all `keys` (the script is sent once per Redis, when it does not know it yet). */
  private async markAll(keys: readonly string[]): Promise<void> {
    const args: (string | number)[] = [...keys, String(Date.now()), this.ttlSeconds];
    try {
      await this.redis.evalsha(MARK_ALL_SHA, keys.length, ...args);
    } catch (error) {
      if (!String((error as Error).message).startsWith('NOSCRIPT')) throw error;
      await this.redis.eval(MARK_ALL, keys.length, ...args);
    }
  }

  private key(idempotencyKey: string): string {
    return stateKey(this.namespace, 'done', idempotencyKey);
  }
}
