import type { Migration } from '../service/database.js';

/**
 * The tracking projection's SQLite schema. Every row is keyed by what makes a redelivered
 * record write it again (the event's `ce_id`, an outcome's id, an order id), so at-least-once
 * delivery needs no deduplication beyond upserts. Every table has a time column that the
 * retention prunes by.
 *
 * - `events`: one row per domain event, with its headers' ids and a one-line summary.
 * - `mentions`: which ids each event names (the timeline of a subject is every event naming one of its ids), by id and time.
 * - `aliases`: ids that stand for a subject (an ERP sales order number for its CRM order), from the events and the cross-references.
 * - `outcomes`: what each connector did with an event: parked (per round), dead-lettered, replayed, discarded (applied is a delivery's state).
 * - `deliveries`: per event and connector that handles it, the current state; `next_check_at` is set while the
 *   settler still looks for the connector's completed key.
 * - `operator_actions`: replays and discards from the audit trail, by dead letter.
 * - `orders`, `stock`, `credit`: the figures the business dashboard reads.
 */
export const TRACKING_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'tracking projection',
    sql: `
      CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE events (
        ce_id TEXT PRIMARY KEY, at INTEGER NOT NULL, system TEXT NOT NULL, event_type TEXT NOT NULL,
        topic TEXT NOT NULL, partition INTEGER NOT NULL, offset TEXT NOT NULL,
        subject_kind TEXT NOT NULL, subject_id TEXT NOT NULL,
        correlation_id TEXT, causation_id TEXT, trace_id TEXT, summary TEXT NOT NULL
      );
      CREATE INDEX events_at ON events (at);
      CREATE TABLE mentions (id TEXT NOT NULL, ce_id TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (id, ce_id)) WITHOUT ROWID;
      CREATE INDEX mentions_at ON mentions (at);
      CREATE TABLE aliases (
        alias TEXT NOT NULL, kind TEXT NOT NULL, subject TEXT NOT NULL, label TEXT NOT NULL, at INTEGER NOT NULL,
        PRIMARY KEY (alias, kind, subject)
      ) WITHOUT ROWID;
      CREATE INDEX aliases_subject ON aliases (kind, subject);
      CREATE TABLE outcomes (
        id TEXT PRIMARY KEY, ce_id TEXT NOT NULL, connector TEXT NOT NULL, kind TEXT NOT NULL, at INTEGER NOT NULL,
        code TEXT, message TEXT, dead_letter_id TEXT, round INTEGER
      );
      CREATE INDEX outcomes_event ON outcomes (ce_id);
      CREATE INDEX outcomes_dead_letter ON outcomes (connector, dead_letter_id) WHERE dead_letter_id IS NOT NULL;
      CREATE INDEX outcomes_at ON outcomes (at);
      CREATE TABLE deliveries (
        ce_id TEXT NOT NULL, connector TEXT NOT NULL, state TEXT NOT NULL, state_at INTEGER NOT NULL, since INTEGER NOT NULL,
        next_check_at INTEGER, subject_kind TEXT, subject_id TEXT,
        PRIMARY KEY (ce_id, connector)
      ) WITHOUT ROWID;
      CREATE INDEX deliveries_due ON deliveries (next_check_at) WHERE next_check_at IS NOT NULL;
      CREATE INDEX deliveries_open ON deliveries (subject_kind, since) WHERE state IN ('pending', 'parked', 'dead-lettered', 'replayed');
      CREATE INDEX deliveries_since ON deliveries (since);
      CREATE TABLE operator_actions (
        connector TEXT NOT NULL, dead_letter_id TEXT NOT NULL, action TEXT NOT NULL, actor TEXT NOT NULL, reason TEXT, at INTEGER NOT NULL,
        PRIMARY KEY (connector, dead_letter_id, action)
      ) WITHOUT ROWID;
      CREATE TABLE orders (
        order_id TEXT PRIMARY KEY, customer_id TEXT,
        placed_at INTEGER, confirmed_at INTEGER, rejected_at INTEGER, reject_reason TEXT, cancelled_at INTEGER,
        shipment_created_at INTEGER, backordered_at INTEGER, dispatched_at INTEGER, delivered_at INTEGER,
        invoiced_at INTEGER, paid_at INTEGER, total_cents INTEGER, invoiced_cents INTEGER, currency TEXT,
        last_at INTEGER NOT NULL
      );
      CREATE INDEX orders_placed ON orders (placed_at);
      CREATE INDEX orders_paid ON orders (paid_at) WHERE paid_at IS NOT NULL;
      CREATE INDEX orders_last ON orders (last_at);
      CREATE TABLE stock (
        sku TEXT NOT NULL, warehouse TEXT NOT NULL, on_hand INTEGER, reserved INTEGER, moved_at INTEGER,
        reorder_point INTEGER, reorder_quantity INTEGER, reorder_at INTEGER,
        PRIMARY KEY (sku, warehouse)
      ) WITHOUT ROWID;
      CREATE TABLE credit (
        customer_id TEXT PRIMARY KEY, account_number TEXT NOT NULL, status TEXT NOT NULL, reason TEXT, at INTEGER NOT NULL
      );
    `,
  },
  {
    // Keyed by time within an id: a SKU or a customer is named by thousands of events, and with the random ce_id next
    // to the id every new mention landed on a random page of that id's range (the commonest write of the projection,
    // about five per event). Time-ordered, a batch's mentions of one id go to the end of its range, onto a few pages.
    // The time is the event's ce_time, so a redelivered event has the same key and is still written once.
    version: 2,
    name: 'mentions keyed by time',
    sql: `
      CREATE TABLE mentions_by_time (id TEXT NOT NULL, at INTEGER NOT NULL, ce_id TEXT NOT NULL, PRIMARY KEY (id, at, ce_id)) WITHOUT ROWID;
      INSERT INTO mentions_by_time (id, at, ce_id) SELECT id, at, ce_id FROM mentions;
      DROP TABLE mentions;
      ALTER TABLE mentions_by_time RENAME TO mentions;
      CREATE INDEX mentions_at ON mentions (at);
    `,
  },
];
