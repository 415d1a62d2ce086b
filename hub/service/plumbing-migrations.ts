import type { Migration } from './database.js';

/**
 * Tables every service shares: the transactional outbox, stored idempotency keys and named
 * counters. Versions 1–99 are reserved for these; a service's own migrations start at 100.
 */
export const PLUMBING_MIGRATIONS: readonly Migration[] = Object.freeze([
  {
    version: 1,
    name: 'outbox',
    sql: `CREATE TABLE outbox (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      event_id TEXT NOT NULL UNIQUE,
      topic_system TEXT NOT NULL,
      topic_aggregate TEXT NOT NULL,
      event_type TEXT NOT NULL,
      aggregate_key TEXT NOT NULL,
      payload TEXT NOT NULL,
      correlation_id TEXT NOT NULL,
      causation_id TEXT,
      traceparent TEXT,
      occurred_at INTEGER NOT NULL,
      sent_at INTEGER
    );
    -- The relay reads unsent rows in seq order; pruning finds old sent rows.
    CREATE INDEX outbox_unsent ON outbox (seq) WHERE sent_at IS NULL;
    CREATE INDEX outbox_sent_at ON outbox (sent_at) WHERE sent_at IS NOT NULL;`,
  },
  {
    version: 2,
    name: 'idempotency_keys',
    sql: `CREATE TABLE idempotency_keys (
      key TEXT PRIMARY KEY,
      request_hash TEXT NOT NULL,
      status_code INTEGER NOT NULL,
      response_body TEXT NOT NULL,
      created_at INTEGER NOT NULL
    );`,
  },
  {
    version: 3,
    name: 'sequences',
    sql: `CREATE TABLE sequences (name TEXT PRIMARY KEY, value INTEGER NOT NULL);`,
  },
]);
