import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { openDatabase } from '../service/database.js';
import type { OutcomeFact } from './connector-outcomes.js';
import type { Alias, EventFacts } from './event-facts.js';
import { prepareStatements, type PreparedStatements } from './prepared-statements.js';
import { TRACKING_MIGRATIONS } from './tracking-schema.js';

/** One domain event as the projection stores it. */
export interface TrackedEvent {
  readonly ceId: string;
  /** `ce_time`, epoch ms. */
  readonly at: number;
  readonly system: string;
  /** The Avro full name, e.g. `switchboard.crm.OrderPlaced` (or the `ce_type` when it could not be decoded). */
  readonly eventType: string;
  /** The topic without the prefix. */
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly correlationId: string | null;
  readonly causationId: string | null;
  readonly traceId: string | null;
  readonly facts: EventFacts;
  /** The connectors that handle this event (their outcomes are awaited). */
  readonly connectors: readonly string[];
  /**
   * When each of `connectors` applied it, where already known (the worker's completed key, read as
   * the event is taken in): that delivery is written applied at once, with nothing left to settle.
   */
  readonly appliedAt?: readonly (number | null)[];
}

/** An operator's replay or discard of a dead letter, from the audit trail. */
export interface OperatorAction {
  readonly connector: string;
  readonly deadLetterId: string;
  readonly action: 'replay' | 'discard';
  readonly actor: string;
  readonly reason: string | null;
  readonly at: number;
}

/** A delivery the settler should look at: has the connector applied the event yet? */
export interface DueDelivery {
  readonly ceId: string;
  readonly connector: string;
  readonly since: number;
}

/** States a delivery leaves only by being applied (or discarded). */
const CLOSED = `('applied', 'discarded', 'unknown')`;

/**
 * The tracking projection's SQLite database: opens it (WAL, migrations), names its generation
 * (a fresh database is a new generation, so it reads every topic from the start under a group
 * of its own), and writes what the projection learns. Writes are idempotent upserts; the caller
 * groups them into transactions with {@link transaction}.
 *
 * @example
 * ```ts
 * const store = TrackingStore.open('.switchboard/data/tracking.db');
 * store.transaction(() => store.addEvent(event));
 * ```
 */
export class TrackingStore {
  readonly generation: string;
  private readonly statements: PreparedStatements<keyof typeof STORE_SQL>;

  private constructor(readonly db: Database) {
    this.statements = prepareStatements(db, STORE_SQL);
    const known = db.prepare(`SELECT value FROM meta WHERE name = 'generation'`).get() as { value: string } | undefined;
    this.generation = known?.value ?? randomUUID().slice(0, 8);
    if (!known) db.prepare(`INSERT OR IGNORE INTO meta (name, value) VALUES ('generation', ?)`).run(this.generation);
  }

  /** Opens (creating) the database at `path` (`:memory:` for a private one). */
  static open(path: string): TrackingStore {
    const db = openDatabase(path, TRACKING_MIGRATIONS);
    // Reads of the console run while the projection writes; a bigger cache than the default 2 MB helps the track query.
    // It is the console's main native memory besides V8 (16 MB); no mmap (mmap_size stays 0), whose pages would count in its RSS too.
    db.pragma('cache_size = -16000');
    // Random event ids spread every batch over the whole index, so a checkpoint after each 1000 WAL pages (the default)
    // copied most pages back into the database again and again: checkpointing after 10 000 pages (40 MB of WAL on disk,
    // no more memory) wrote 28 % fewer bytes for the same 60 000 events (bench/COMPARISONS.md).
    db.pragma('wal_autocheckpoint = 10000');
    // No fsync at all: openDatabase's NORMAL syncs at each checkpoint, and the event loop waited for the disk (shared
    // with Kafka) meanwhile. A crash of the console loses nothing either way (the writes are with the OS). A power loss
    // may lose the last transactions, whose offsets may be committed already, or corrupt the file; the projection holds
    // nothing that Kafka, Redis and the audit trail do not, so the remedy is to delete the file: a new database is a new
    // generation, which reads every topic from the start (docs/operations.md, the tracking projection).
    db.pragma('synchronous = OFF');
    return new TrackingStore(db);
  }

  close(): void {
    this.db.close();
  }

  /** Runs `work` in one transaction (a group commit of many records). */
  transaction(work: () => void): void {
    this.db.transaction(work)();
  }

  /** Stores an event, its mentions and aliases, its order/stock/credit figures, and a pending delivery per connector that handles it. */
  addEvent(event: TrackedEvent, now: number = Date.now()): void {
    const s = this.statements;
    const { facts } = event;
    const inserted = s.insertEvent.run(event.ceId, event.at, event.system, event.eventType, event.topic, event.partition, event.offset,
      facts.subject.kind, facts.subject.id, event.correlationId, event.causationId, event.traceId, facts.summary);
    if (inserted.changes === 0) return;
    for (const id of facts.mentions) s.insertMention.run(id, event.ceId, event.at);
    this.addAliases(facts.aliases, event.at);
    event.connectors.forEach((connector, i) => {
      const applied = event.appliedAt?.[i] ?? null;
      if (applied === null) s.insertDelivery.run(event.ceId, connector, event.at, event.at, now, facts.subject.kind, facts.subject.id);
      else s.insertAppliedDelivery.run(event.ceId, connector, applied, event.at, facts.subject.kind, facts.subject.id);
    });
    if (facts.order) {
      const o = facts.order;
      s.upsertOrder.run({
        order_id: o.orderId, customer_id: o.customerId ?? null, placed_at: o.placedAt ?? null, confirmed_at: o.confirmedAt ?? null,
        rejected_at: o.rejectedAt ?? null, reject_reason: o.rejectReason ?? null, cancelled_at: o.cancelledAt ?? null,
        shipment_created_at: o.shipmentCreatedAt ?? null, backordered_at: o.backorderedAt ?? null, dispatched_at: o.dispatchedAt ?? null,
        delivered_at: o.deliveredAt ?? null, invoiced_at: o.invoicedAt ?? null, paid_at: o.paidAt ?? null, total_cents: o.totalCents ?? null,
        invoiced_cents: o.invoicedCents ?? null, currency: o.currency ?? null, last_at: event.at,
      });
    }
    if (facts.stock?.kind === 'moved') s.upsertStockMoved.run(facts.stock.sku, facts.stock.warehouse, facts.stock.onHand, facts.stock.reserved, facts.stock.at);
    if (facts.stock?.kind === 'reorder-point') s.upsertReorderPoint.run(facts.stock.sku, facts.stock.warehouse, facts.stock.reorderPoint, facts.stock.reorderQuantity, facts.stock.at);
    if (facts.credit) s.upsertCredit.run(facts.credit.customerId, facts.credit.accountNumber, facts.credit.status, facts.credit.reason, facts.credit.at);
  }

  addAliases(aliases: readonly Alias[], at: number): void {
    for (const a of aliases) this.statements.insertAlias.run(a.alias, a.kind, a.subject, a.label, at);
  }

  /**
   * Stores a connector outcome (applied: only as the delivery's state) and moves the event's delivery on: parked and replayed keep the
   * settler looking for the completed key; dead-lettered stops it (until a replay); applied and
   * discarded close it. An older outcome read late does not undo a newer one.
   */
  addOutcome(outcome: OutcomeFact, now: number = Date.now()): void {
    const s = this.statements;
    // Applied is the delivery's own state (one row per event and connector): no outcome row, the commonest write saved.
    if (outcome.kind !== 'applied') s.insertOutcome.run(outcome.id, outcome.ceId, outcome.connector, outcome.kind, outcome.at, outcome.code, outcome.message, outcome.deadLetterId, outcome.round);
    const nextCheck = outcome.kind === 'parked' || outcome.kind === 'replayed' ? now : null;
    if (outcome.kind === 'applied') s.applyDelivery.run({ ce: outcome.ceId, connector: outcome.connector, at: outcome.at });
    else s.moveDelivery.run({ ce: outcome.ceId, connector: outcome.connector, state: outcome.kind, at: outcome.at, next: nextCheck });
    if (outcome.kind === 'dead-lettered' && outcome.deadLetterId !== null) {
      const discard = s.findAction.get(outcome.connector, outcome.deadLetterId, 'discard') as { at: number } | undefined;
      if (discard) s.moveDelivery.run({ ce: outcome.ceId, connector: outcome.connector, state: 'discarded', at: Math.max(discard.at, outcome.at), next: null });
    }
  }

  /** Stores an operator's replay or discard; a discard closes the delivery of the dead letter's event. */
  addOperatorAction(action: OperatorAction): void {
    const s = this.statements;
    s.insertAction.run(action.connector, action.deadLetterId, action.action, action.actor, action.reason, action.at);
    if (action.action !== 'discard') return;
    const letter = s.findDeadLetter.get(action.connector, action.deadLetterId) as { ce_id: string; at: number } | undefined;
    if (!letter) return;
    s.insertOutcome.run(`discarded:${action.connector}:${action.deadLetterId}`, letter.ce_id, action.connector, 'discarded', action.at, null, action.reason, action.deadLetterId, null);
    s.moveDelivery.run({ ce: letter.ce_id, connector: action.connector, state: 'discarded', at: Math.max(action.at, letter.at), next: null });
  }

  /** Deliveries whose completed key the settler should look for now, oldest check first. */
  dueDeliveries(now: number, limit: number): DueDelivery[] {
    return (this.statements.due.all(now, limit) as { ce_id: string; connector: string; since: number }[]).map((row) => ({ ceId: row.ce_id, connector: row.connector, since: row.since }));
  }

  /** The settler did not find the completed key yet: look again at `at`. */
  checkAgainAt(delivery: DueDelivery, at: number | null, state?: 'unknown'): void {
    if (state) this.statements.moveDelivery.run({ ce: delivery.ceId, connector: delivery.connector, state, at: Date.now(), next: null });
    else this.statements.recheck.run(at, delivery.ceId, delivery.connector);
  }

  /** Removes everything older than `cutoff` (epoch ms), at most `batch` rows of each table; returns how many rows went. */
  prune(cutoff: number, batch = 5000): number {
    let removed = 0;
    for (const sql of [
      'DELETE FROM outcomes WHERE rowid IN (SELECT rowid FROM outcomes WHERE at < ? LIMIT ?)',
      'DELETE FROM mentions WHERE (id, at, ce_id) IN (SELECT id, at, ce_id FROM mentions WHERE at < ? LIMIT ?)',
      'DELETE FROM deliveries WHERE (ce_id, connector) IN (SELECT ce_id, connector FROM deliveries WHERE since < ? LIMIT ?)',
      'DELETE FROM events WHERE rowid IN (SELECT rowid FROM events WHERE at < ? LIMIT ?)',
      'DELETE FROM aliases WHERE (alias, kind, subject) IN (SELECT alias, kind, subject FROM aliases WHERE at < ? LIMIT ?)',
      'DELETE FROM orders WHERE order_id IN (SELECT order_id FROM orders WHERE last_at < ? LIMIT ?)',
      'DELETE FROM operator_actions WHERE (connector, dead_letter_id, action) IN (SELECT connector, dead_letter_id, action FROM operator_actions WHERE at < ? LIMIT ?)',
    ]) {
      removed += this.db.prepare(sql).run(cutoff, batch).changes;
    }
    return removed;
  }

  /** How many events the projection holds. */
  eventCount(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  }
}

/** The store's writes and the settler's reads, prepared once per store. */
const STORE_SQL = {
  insertEvent: `INSERT OR IGNORE INTO events (ce_id, at, system, event_type, topic, partition, offset, subject_kind, subject_id, correlation_id, causation_id, trace_id, summary)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  insertMention: 'INSERT OR IGNORE INTO mentions (id, ce_id, at) VALUES (?, ?, ?)',
  // Every event of a subject repeats its aliases: only a newer time is written (an unchanged row would still dirty its page).
  insertAlias: 'INSERT INTO aliases (alias, kind, subject, label, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET at = excluded.at WHERE excluded.at > aliases.at',
  // An outcome read before its event made the row already: the event adds the subject and the earlier start.
  insertDelivery: `INSERT INTO deliveries (ce_id, connector, state, state_at, since, next_check_at, subject_kind, subject_id) VALUES (?, ?, 'pending', ?, ?, ?, ?, ?)
    ON CONFLICT DO UPDATE SET subject_kind = excluded.subject_kind, subject_id = excluded.subject_id, since = MIN(deliveries.since, excluded.since)`,
  // Applied already when the event is read (a catch-up): one write, outside the settler's and the open-deliveries indexes.
  insertAppliedDelivery: `INSERT INTO deliveries (ce_id, connector, state, state_at, since, next_check_at, subject_kind, subject_id) VALUES (?, ?, 'applied', ?, ?, NULL, ?, ?)
    ON CONFLICT DO UPDATE SET subject_kind = excluded.subject_kind, subject_id = excluded.subject_id, since = MIN(deliveries.since, excluded.since),
      state = 'applied', state_at = excluded.state_at, next_check_at = NULL`,
  moveDelivery: `INSERT INTO deliveries (ce_id, connector, state, state_at, since, next_check_at) VALUES (@ce, @connector, @state, @at, @at, @next)
    ON CONFLICT DO UPDATE SET state = excluded.state, state_at = excluded.state_at, next_check_at = excluded.next_check_at
    WHERE deliveries.state NOT IN ${CLOSED} AND deliveries.state_at <= excluded.state_at`,
  // The settler's write: the row is there (it found the delivery due), so a plain update.
  applyDelivery: `UPDATE deliveries SET state = 'applied', state_at = @at, next_check_at = NULL WHERE ce_id = @ce AND connector = @connector AND state <> 'applied'`,
  recheck: 'UPDATE deliveries SET next_check_at = ? WHERE ce_id = ? AND connector = ?',
  due: 'SELECT ce_id, connector, since FROM deliveries WHERE next_check_at <= ? ORDER BY next_check_at LIMIT ?',
  insertOutcome: `INSERT OR IGNORE INTO outcomes (id, ce_id, connector, kind, at, code, message, dead_letter_id, round) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  insertAction: 'INSERT OR IGNORE INTO operator_actions (connector, dead_letter_id, action, actor, reason, at) VALUES (?, ?, ?, ?, ?, ?)',
  findAction: 'SELECT at FROM operator_actions WHERE connector = ? AND dead_letter_id = ? AND action = ?',
  findDeadLetter: `SELECT ce_id, at FROM outcomes WHERE connector = ? AND dead_letter_id = ? AND kind = 'dead-lettered'`,
  upsertOrder: `INSERT INTO orders (order_id, customer_id, placed_at, confirmed_at, rejected_at, reject_reason, cancelled_at, shipment_created_at, backordered_at,
      dispatched_at, delivered_at, invoiced_at, paid_at, total_cents, invoiced_cents, currency, last_at)
    VALUES (@order_id, @customer_id, @placed_at, @confirmed_at, @rejected_at, @reject_reason, @cancelled_at, @shipment_created_at, @backordered_at,
      @dispatched_at, @delivered_at, @invoiced_at, @paid_at, @total_cents, @invoiced_cents, @currency, @last_at)
    ON CONFLICT (order_id) DO UPDATE SET
      customer_id = COALESCE(orders.customer_id, excluded.customer_id), placed_at = COALESCE(orders.placed_at, excluded.placed_at),
      confirmed_at = COALESCE(orders.confirmed_at, excluded.confirmed_at), rejected_at = COALESCE(orders.rejected_at, excluded.rejected_at),
      reject_reason = COALESCE(orders.reject_reason, excluded.reject_reason), cancelled_at = COALESCE(orders.cancelled_at, excluded.cancelled_at),
      shipment_created_at = COALESCE(orders.shipment_created_at, excluded.shipment_created_at), backordered_at = COALESCE(orders.backordered_at, excluded.backordered_at),
      dispatched_at = COALESCE(orders.dispatched_at, excluded.dispatched_at), delivered_at = COALESCE(orders.delivered_at, excluded.delivered_at),
      invoiced_at = COALESCE(orders.invoiced_at, excluded.invoiced_at), paid_at = COALESCE(orders.paid_at, excluded.paid_at),
      total_cents = COALESCE(orders.total_cents, excluded.total_cents), invoiced_cents = COALESCE(orders.invoiced_cents, excluded.invoiced_cents),
      currency = COALESCE(orders.currency, excluded.currency), last_at = MAX(orders.last_at, excluded.last_at)`,
  upsertStockMoved: `INSERT INTO stock (sku, warehouse, on_hand, reserved, moved_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT DO UPDATE SET on_hand = excluded.on_hand, reserved = excluded.reserved, moved_at = excluded.moved_at
    WHERE stock.moved_at IS NULL OR stock.moved_at <= excluded.moved_at`,
  upsertReorderPoint: `INSERT INTO stock (sku, warehouse, reorder_point, reorder_quantity, reorder_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT DO UPDATE SET reorder_point = excluded.reorder_point, reorder_quantity = excluded.reorder_quantity, reorder_at = excluded.reorder_at
    WHERE stock.reorder_at IS NULL OR stock.reorder_at <= excluded.reorder_at`,
  upsertCredit: `INSERT INTO credit (customer_id, account_number, status, reason, at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT DO UPDATE SET account_number = excluded.account_number, status = excluded.status, reason = excluded.reason, at = excluded.at WHERE credit.at <= excluded.at`,
} as const;
