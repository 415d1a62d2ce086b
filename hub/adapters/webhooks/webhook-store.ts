import type { Database } from 'better-sqlite3';
import type { EventTypeMap } from '../../../catalogue/index.js';
import { openDatabase, type Migration } from '../../service/database.js';
import { Outbox } from '../../service/outbox.js';
import { PLUMBING_MIGRATIONS } from '../../service/plumbing-migrations.js';
import type { MappedEvent } from './webhook-source.js';

/** The webhook process's own table: every delivery id seen per source, with the event it became. */
export const WEBHOOK_MIGRATIONS: readonly Migration[] = Object.freeze([
  {
    version: 100,
    name: 'webhook_deliveries',
    sql: `CREATE TABLE webhook_deliveries (
      source TEXT NOT NULL,
      delivery_id TEXT NOT NULL,
      event_id TEXT,
      event_type TEXT,
      received_at INTEGER NOT NULL,
      PRIMARY KEY (source, delivery_id)
    );
    CREATE INDEX webhook_deliveries_received_at ON webhook_deliveries (received_at);`,
  },
]);

/** What storing a delivery did. */
export type Acceptance =
  | { readonly outcome: 'accepted'; readonly eventId: string }
  /** No event case held: remembered (a repeat is a duplicate) and dropped. */
  | { readonly outcome: 'ignored' }
  /** The delivery id was seen before: nothing new is stored; the event it became, if any. */
  | { readonly outcome: 'duplicate'; readonly eventId: string | undefined };

/** How long delivery ids are remembered for deduplication (senders retry for days at most: Stripe 3, Shopify 2). */
export const DELIVERY_ID_RETENTION_MS = 30 * 24 * 3600 * 1000;

/** A delivery waiting for the next group commit. */
interface PendingDelivery {
  readonly source: string;
  readonly deliveryId: string;
  readonly event: MappedEvent | undefined;
  resolve(acceptance: Acceptance): void;
  reject(error: unknown): void;
}

/**
 * The durable store of the webhook endpoint: a SQLite database with the services' transactional
 * outbox (relayed to Kafka by the same OutboxRelay) and the deliveries seen. A delivery and its
 * event are written in one transaction, with `synchronous=FULL` (each commit reaches the disk,
 * not only the OS), before the sender gets its 2xx: an acknowledged delivery survives a crash
 * of the process or the machine. A repeated delivery id writes nothing.
 *
 * Deliveries arriving together share one commit (group commit): the ones handed to `accept`
 * in the same turn of the event loop are written in one transaction, each in a savepoint of
 * its own (one that fails is refused alone), so the disk is flushed once per group rather than
 * once per delivery.
 *
 * @example
 * ```ts
 * const store = new WebhookStore('.switchboard/data/webhooks.db');
 * await store.accept('shop', 'msg_2Lx', { eventType: 'switchboard.crm.OrderPlaced', value }); // { outcome: 'accepted', eventId }
 * ```
 */
export class WebhookStore {
  readonly db: Database;
  readonly outbox: Outbox;
  private readonly findDelivery;
  private readonly insertDelivery;
  private pending: PendingDelivery[] = [];
  private scheduled = false;

  constructor(path: string) {
    this.db = openDatabase(path, [...PLUMBING_MIGRATIONS, ...WEBHOOK_MIGRATIONS]);
    this.db.pragma('synchronous = FULL');
    this.outbox = new Outbox(this.db);
    this.findDelivery = this.db.prepare('SELECT event_id FROM webhook_deliveries WHERE source = ? AND delivery_id = ?');
    this.insertDelivery = this.db.prepare('INSERT INTO webhook_deliveries (source, delivery_id, event_id, event_type, received_at) VALUES (?, ?, ?, ?, ?)');
  }

  /**
   * Stores a delivery and the event it became (none: ignored), unless its id was seen before;
   * resolves once the transaction holding it is committed to disk.
   */
  accept(source: string, deliveryId: string, event: MappedEvent | undefined): Promise<Acceptance> {
    return new Promise((resolve, reject) => {
      this.pending.push({ source, deliveryId, event, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => this.commitPending());
    });
  }

  /** One transaction for every delivery waiting, each in its own savepoint. */
  private commitPending(): void {
    this.scheduled = false;
    const group = this.pending;
    this.pending = [];
    const outcomes: ({ acceptance: Acceptance } | { error: unknown })[] = [];
    try {
      this.outbox.transaction(() => {
        for (const delivery of group) {
          try {
            outcomes.push({ acceptance: this.db.transaction(() => this.store(delivery))() });
          } catch (error) {
            outcomes.push({ error });
          }
        }
      });
    } catch (error) {
      // The commit itself failed: nothing of the group is stored.
      for (const delivery of group) delivery.reject(error);
      return;
    }
    group.forEach((delivery, index) => {
      const outcome = outcomes[index] as { acceptance: Acceptance } | { error: unknown };
      if ('acceptance' in outcome) delivery.resolve(outcome.acceptance);
      else delivery.reject(outcome.error);
    });
  }

  private store({ source, deliveryId, event }: PendingDelivery): Acceptance {
    const seen = this.findDelivery.get(source, deliveryId) as { event_id: string | null } | undefined;
    if (seen) return { outcome: 'duplicate', eventId: seen.event_id ?? undefined };
    const published = event
      ? this.outbox.publish(event.eventType, event.value as EventTypeMap[typeof event.eventType], event.correlationId ? { correlationId: event.correlationId } : {})
      : undefined;
    this.insertDelivery.run(source, deliveryId, published?.eventId ?? null, event?.eventType ?? null, Date.now());
    return published ? { outcome: 'accepted', eventId: published.eventId } : { outcome: 'ignored' };
  }

  /** Forgets delivery ids older than `olderThanMs`; returns how many. */
  pruneDeliveries(olderThanMs = DELIVERY_ID_RETENTION_MS, now = Date.now()): number {
    return this.db.prepare('DELETE FROM webhook_deliveries WHERE received_at < ?').run(now - olderThanMs).changes;
  }

  close(): void {
    this.db.close();
  }
}
