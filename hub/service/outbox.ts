import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Database } from 'better-sqlite3';
import { eventEntry, isEventFullName, keyOf, type EventFullName, type EventTypeMap, type SystemName } from '../../catalogue/index.js';

/** Where an event comes from: its flow, its cause and its trace. Every field has a default. */
export interface EventOrigin {
  /** The business flow this event belongs to (e.g. the CRM order id). Default: the event's key. */
  readonly correlationId?: string | null;
  /** The event id (ce_id) that caused this one, when a connector's command did. */
  readonly causationId?: string | null;
  /** W3C trace context of the request that wrote the event. */
  readonly traceparent?: string | null;
  /** Epoch millis; defaults to now. */
  readonly occurredAt?: number;
}

/** A stored outbox row, as the relay reads it. */
export interface OutboxRow {
  seq: number;
  eventId: string;
  system: SystemName;
  aggregate: string;
  eventType: string;
  key: string;
  /** JSON text of the payload. */
  payload: string;
  correlationId: string;
  causationId: string | null;
  traceparent: string | null;
  occurredAt: number;
  sentAt: number | null;
}

/** What domain code needs to record events: only `publish`, inside its transaction. */
export interface OutboxWriter {
  publish<K extends EventFullName>(type: K, value: EventTypeMap[K], origin?: EventOrigin): { seq: number; eventId: string };
}

interface RawRow {
  seq: number; event_id: string; topic_system: SystemName; topic_aggregate: string; event_type: string; aggregate_key: string;
  payload: string; correlation_id: string; causation_id: string | null; traceparent: string | null; occurred_at: number; sent_at: number | null;
}

/**
 * The transactional outbox of one service database.
 *
 * Domain code calls `publish` inside the transaction that changes state (start it with
 * `outbox.transaction(fn)`), so the state change and its events commit or roll back together.
 * The topic and key come from the catalogue; services reach this through their command's
 * context (`command.publish(...)`), which supplies the origin.
 * After the outermost transaction commits, `committed` listeners run, so the relay can wake at
 * once instead of polling. The relay reads with `readUnsent`, marks with `markSent` and prunes
 * with `pruneSent`.
 *
 * @example
 * ```ts
 * outbox.transaction(() => {
 *   db.prepare('INSERT INTO customers ...').run(...);
 *   outbox.publish('switchboard.crm.CustomerCreated', customer, { correlationId: customer.customerId });
 * });
 * ```
 */
export class Outbox implements OutboxWriter {
  private readonly emitter = new EventEmitter();
  private pending = 0;
  private readonly insert;
  private readonly selectUnsent;
  private readonly markBatch;

  /**
   * @param system the service that owns this outbox; its outbox refuses other systems' events.
   *   Left out only by tests and tools that write events of any system.
   */
  constructor(private readonly db: Database, readonly system?: SystemName) {
    this.insert = db.prepare(`INSERT INTO outbox
      (event_id, topic_system, topic_aggregate, event_type, aggregate_key, payload, correlation_id, causation_id, traceparent, occurred_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.selectUnsent = db.prepare('SELECT * FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT ?');
    this.markBatch = db.prepare('UPDATE outbox SET sent_at = ? WHERE seq IN (SELECT value FROM json_each(?)) AND sent_at IS NULL');
  }

  /**
   * Records one event of the catalogue. Its topic and key come from the catalogue (the value's
   * key field); its correlation id defaults to the key. Throws when called outside a transaction,
   * for a type the catalogue lacks, or for another system's event.
   */
  publish<K extends EventFullName>(type: K, value: EventTypeMap[K], origin: EventOrigin = {}): { seq: number; eventId: string } {
    if (!this.db.inTransaction) throw new Error('outbox.publish must run inside the transaction that changes state');
    if (!isEventFullName(type)) throw new Error(`${String(type)} is not an event type of the catalogue`);
    const entry = eventEntry(type);
    if (this.system !== undefined && entry.system !== this.system) throw new Error(`the ${this.system} outbox cannot publish ${type}, an event of the ${entry.system}`);
    const key = keyOf(type, value);
    const eventId = randomUUID();
    const result = this.insert.run(
      eventId, entry.system, entry.aggregate, entry.name, key, JSON.stringify(value),
      origin.correlationId ?? key, origin.causationId ?? null, origin.traceparent ?? null, origin.occurredAt ?? Date.now(),
    );
    this.pending += 1;
    return { seq: Number(result.lastInsertRowid), eventId };
  }

  /**
   * Runs `fn` in a transaction (a savepoint when one is already open). When the outermost
   * transaction commits with new events, `committed` listeners are told.
   */
  transaction<T>(fn: () => T): T {
    const outermost = !this.db.inTransaction;
    try {
      const result = this.db.transaction(fn)();
      if (outermost && this.pending > 0) {
        const count = this.pending;
        this.pending = 0;
        this.emitter.emit('committed', { count });
      }
      return result;
    } catch (error) {
      if (outermost) this.pending = 0;
      throw error;
    }
  }

  /** Calls `listener` after each commit that wrote events; returns a function that unsubscribes. */
  onCommitted(listener: (info: { count: number }) => void): () => void {
    this.emitter.on('committed', listener);
    return () => this.emitter.off('committed', listener);
  }

  /** The oldest unsent rows, in commit order (seq), at most `limit`. */
  readUnsent(limit: number): OutboxRow[] {
    return (this.selectUnsent.all(limit) as RawRow[]).map(toRow);
  }

  /** Marks rows as published. */
  markSent(seqs: readonly number[], sentAt = Date.now()): void {
    if (seqs.length === 0) return;
    // One statement for the whole batch: the relay marks hundreds of rows at a time.
    this.markBatch.run(sentAt, JSON.stringify(seqs));
  }

  /** Deletes rows sent more than `olderThanMs` ago; returns how many. */
  pruneSent(olderThanMs: number, now = Date.now()): number {
    return this.db.prepare('DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < ?').run(now - olderThanMs).changes;
  }

  /** How many rows wait to be published (for the outbox backlog metric). */
  backlog(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL').get() as { n: number }).n;
  }

  /** When the oldest unsent event happened (epoch ms), or null when none waits (for the outbox age metric). */
  oldestUnsentAt(): number | null {
    const row = this.db.prepare('SELECT occurred_at AS at FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT 1').get() as { at: number } | undefined;
    return row?.at ?? null;
  }
}

function toRow(raw: RawRow): OutboxRow {
  return {
    seq: raw.seq, eventId: raw.event_id, system: raw.topic_system, aggregate: raw.topic_aggregate, eventType: raw.event_type,
    key: raw.aggregate_key, payload: raw.payload, correlationId: raw.correlation_id, causationId: raw.causation_id,
    traceparent: raw.traceparent, occurredAt: raw.occurred_at, sentAt: raw.sent_at,
  };
}
