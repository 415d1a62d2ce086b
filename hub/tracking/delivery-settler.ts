import type { Logger } from '../log/logger.js';
import { DEFAULT_CONNECTOR_OPTIONS } from '../sdk/define-connector.js';
import { stateKey, type Redis } from '../state/redis.js';
import type { OutcomeFact } from './connector-outcomes.js';
import type { DueDelivery, TrackingStore } from './tracking-store.js';

export interface DeliverySettlerOptions {
  readonly store: TrackingStore;
  readonly redis: Redis;
  /** The Redis key prefix (SWITCHBOARD_TOPIC_PREFIX). */
  readonly prefix: string;
  readonly logger: Logger;
  /** Told of every applied outcome found (live rates). */
  readonly onApplied?: (outcome: OutcomeFact) => void;
  /** Pause between rounds when nothing more is due; default 250 ms. */
  readonly intervalMs?: number;
}

/** Beyond this age a delivery's completed key may have expired: its outcome cannot be known any more. */
const COMPLETED_KEY_TTL_MS = DEFAULT_CONNECTOR_OPTIONS.completedKeyTtlSeconds * 1000;
/** Deliveries looked at per round. */
const ROUND = 4000;

/**
 * When to look again for a delivery's completed key: soon while it is young (most events are
 * applied within a second), then less and less often, so a stopped connector's backlog costs
 * little.
 *
 * @example
 * ```ts
 * nextCheckDelay(800); // 250
 * nextCheckDelay(30 * 60_000); // 30000
 * ```
 */
export function nextCheckDelay(ageMs: number): number {
  if (ageMs < 5_000) return 250;
  if (ageMs < 60_000) return 1_000;
  if (ageMs < 600_000) return 5_000;
  if (ageMs < 3_600_000) return 30_000;
  return 120_000;
}

/**
 * Derives the connectors' `applied` outcomes, which no topic carries: when a worker has applied
 * an event it stores the completed idempotency key `switchboard:done:<connector>:<ce_id>` in
 * Redis with the time as its value (CompletedKeys). The settler looks those keys up (MGET, in
 * rounds) for every delivery still open — pending, parked or replayed — and records the outcome
 * at that time. This keeps the workers' hot path untouched: no extra record per event.
 *
 * @example
 * ```ts
 * const settler = new DeliverySettler({ store, redis, prefix: '', logger });
 * settler.start();
 * await settler.stop();
 * ```
 */
export class DeliverySettler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;
  private failures = 0;

  constructor(private readonly options: DeliverySettlerOptions) {}

  start(): void {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One round: the due deliveries, their completed keys, the outcomes. Returns how many were looked at. */
  async settle(now: number = Date.now()): Promise<number> {
    const { store, redis, prefix } = this.options;
    const due = store.dueDeliveries(now, ROUND);
    if (due.length === 0) return 0;
    const values: (string | null)[] = [];
    for (let i = 0; i < due.length; i += 1000) {
      const chunk = due.slice(i, i + 1000);
      values.push(...(await redis.mget(...chunk.map((d) => stateKey(prefix, 'done', `${d.connector}:${d.ceId}`)))));
    }
    const applied: OutcomeFact[] = [];
    store.transaction(() => {
      due.forEach((delivery: DueDelivery, i) => {
        const value = values[i];
        if (value !== null && value !== undefined) {
          const at = Number(value) || now;
          const outcome: OutcomeFact = { id: `applied:${delivery.connector}:${delivery.ceId}`, ceId: delivery.ceId, connector: delivery.connector, kind: 'applied', at, code: null, message: null, deadLetterId: null, round: null };
          store.addOutcome(outcome, now);
          applied.push(outcome);
        } else if (now - delivery.since > COMPLETED_KEY_TTL_MS) {
          store.checkAgainAt(delivery, null, 'unknown');
        } else {
          store.checkAgainAt(delivery, now + nextCheckDelay(now - delivery.since));
        }
      });
    });
    for (const outcome of applied) this.options.onApplied?.(outcome);
    return due.length;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.settle()
        .then((looked) => {
          if (this.failures > 0) this.options.logger.info({ failures: this.failures }, 'settling deliveries works again');
          this.failures = 0;
          this.schedule(looked >= ROUND ? 0 : this.options.intervalMs ?? 250);
        }, (error: unknown) => {
          if (this.failures % 20 === 0) this.options.logger.warn({ err: error }, 'could not settle deliveries (Redis?); trying again');
          this.failures++;
          this.schedule(1000);
        });
    }, delayMs);
    this.timer.unref();
  }
}
