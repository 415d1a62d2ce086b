import type { Logger } from '../log/logger.js';
import { stateKey, type Redis } from '../state/redis.js';

/** One record's question: the connectors' completed keys of one event. */
interface Pending {
  readonly keys: readonly string[];
  readonly resolve: (values: (number | null)[]) => void;
}

/** Keys per MGET at most (one round trip each; Redis answers a few thousand keys in well under a millisecond). */
const MAX_KEYS = 4000;

/**
 * Looks up the workers' completed keys (`switchboard:done:<connector>:<ce_id>`, the time the event
 * was applied) of many events with one MGET: every `appliedAt` asked within one turn of the event
 * loop shares a round trip. The projection asks as it takes an event in, so a delivery that is
 * already applied — every one during a catch-up — is written once, as applied, and the
 * DeliverySettler has nothing left to do for it (before, each such delivery was written pending,
 * then looked up and written again by the settler).
 *
 * A lookup never fails: when Redis does not answer, every answer is null (not known yet), the
 * delivery is written pending and the settler looks again later.
 *
 * @example
 * ```ts
 * const lookup = new CompletedKeyLookup(redis, '', logger);
 * const [erp, scm] = await lookup.appliedAt(ceId, ['erp-order-to-scm', 'erp-order-to-crm']); // epoch ms or null
 * ```
 */
export class CompletedKeyLookup {
  private queue: Pending[] = [];
  private queuedKeys = 0;
  private scheduled = false;
  private failures = 0;

  constructor(private readonly redis: Redis, private readonly prefix: string, private readonly logger: Logger) {}

  /** When each connector applied the event (the completed key's time), or null where it has not (or Redis did not answer). */
  appliedAt(ceId: string, connectors: readonly string[]): Promise<(number | null)[]> {
    if (connectors.length === 0) return Promise.resolve([]);
    return new Promise((resolve) => {
      this.queue.push({ keys: connectors.map((connector) => stateKey(this.prefix, 'done', `${connector}:${ceId}`)), resolve });
      this.queuedKeys += connectors.length;
      if (this.queuedKeys >= MAX_KEYS) void this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    this.queuedKeys = 0;
    let values: (string | null)[];
    try {
      values = await this.redis.mget(...batch.flatMap((pending) => pending.keys));
      if (this.failures > 0) this.logger.info({ failures: this.failures }, 'tracking: completed keys can be read again');
      this.failures = 0;
    } catch (error) {
      if (this.failures % 100 === 0) this.logger.warn({ err: error }, 'tracking: could not read completed keys (Redis?); the settler will look again');
      this.failures++;
      values = [];
    }
    let next = 0;
    for (const pending of batch) {
      pending.resolve(pending.keys.map(() => {
        const value = values[next++];
        return value === null || value === undefined ? null : Number(value) || Date.now();
      }));
    }
  }
}
