import pg from 'pg';
import { ERRORS, SwitchboardError } from '../../errors/index.js';
import type { Logger } from '../../log/logger.js';
import type { RowWriter } from '../../runtime/action-executor.js';
import type { UpsertAction } from '../../sdk/types.js';

/** The PostgreSQL target failed for a passing reason (unreachable, serialization, lock): retried. */
export class PostgresTargetUnavailableError extends SwitchboardError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(ERRORS.SINK_POSTGRES_UNAVAILABLE.code, message, options);
  }
}

/** The PostgreSQL target refused the row (unknown column, constraint, type): dead-lettered. */
export class PostgresTargetRejectedError extends SwitchboardError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(ERRORS.SINK_POSTGRES_REJECTED.code, message, options);
  }
}

/** Settings of a {@link PostgresUpsertSink}. */
export interface PostgresUpsertSinkOptions {
  /** Shared by every table of one database (one pool per target name). */
  readonly pool: pg.Pool;
  /** The table, optionally schema-qualified. */
  readonly table: string;
  /** Its primary-key or unique column holding the key. */
  readonly keyColumn: string;
  readonly logger: Logger;
}

/** The ledger of applied idempotency keys, beside the target table (same schema). */
export const APPLIED_EVENTS_TABLE = 'switchboard_applied_events';

/** SQLSTATE classes that a retry may get past: connection, resources, operator intervention, transaction rollback (serialization, deadlock). */
const PASSING_STATES = /^(08|40|53|57|55P03|58)/;

/**
 * Writes upsert actions into one PostgreSQL table: the row is inserted, or updated when a row
 * with the same key exists (`INSERT ... ON CONFLICT (<key column>) DO UPDATE`), and the event's
 * idempotency key goes into `switchboard_applied_events` in the same transaction. A repeated
 * idempotency key (a redelivery, a replayed dead letter) writes nothing: the effect is applied
 * once, whatever Redis remembers. The ledger table is created when missing.
 *
 * @example
 * ```ts
 * const sink = new PostgresUpsertSink({ pool, table: 'reporting.orders', keyColumn: 'order_id', logger });
 * await sink.upsert(upsert({ key: 'O-1', row: { status: 'PLACED' } }), 'orders-to-reporting:6f1c…');
 * ```
 */
export class PostgresUpsertSink implements RowWriter {
  private readonly table: string;
  private readonly ledger: string;
  private readonly keyColumn: string;
  private ready: Promise<void> | undefined;

  constructor(private readonly options: PostgresUpsertSinkOptions) {
    const parts = options.table.split('.');
    this.table = parts.map((part) => pg.escapeIdentifier(part)).join('.');
    this.ledger = [...parts.slice(0, -1), APPLIED_EVENTS_TABLE].map((part) => pg.escapeIdentifier(part)).join('.');
    this.keyColumn = pg.escapeIdentifier(options.keyColumn);
  }

  async upsert(action: UpsertAction, idempotencyKey: string): Promise<void> {
    const columns = Object.keys(action.row).filter((column) => column !== this.options.keyColumn);
    const names = [this.keyColumn, ...columns.map((column) => pg.escapeIdentifier(column))];
    const values = [action.key, ...columns.map((column) => action.row[column] ?? null)];
    const placeholders = values.map((_, index) => `$${index + 1}`);
    const update = columns.length > 0 ? `DO UPDATE SET ${names.slice(1).map((name) => `${name} = EXCLUDED.${name}`).join(', ')}` : 'DO NOTHING';
    const sql = `INSERT INTO ${this.table} (${names.join(', ')}) VALUES (${placeholders.join(', ')}) ON CONFLICT (${this.keyColumn}) ${update}`;
    await this.ensureLedger();
    const client = await this.connect();
    try {
      await client.query('BEGIN');
      const recorded = await client.query(`INSERT INTO ${this.ledger} (idempotency_key, target_table) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [idempotencyKey, this.options.table]);
      if (recorded.rowCount === 1) await client.query(sql, values);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw this.classify(error, `upsert of ${this.options.table} key ${action.key}`);
    } finally {
      client.release();
    }
  }

  private ensureLedger(): Promise<void> {
    this.ready ??= (async () => {
      try {
        await this.options.pool.query(
          `CREATE TABLE IF NOT EXISTS ${this.ledger} (idempotency_key text PRIMARY KEY, target_table text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
        );
      } catch (error) {
        this.ready = undefined;
        // Two workers creating it at once: one of them meets the other's table.
        if ((error as { code?: string }).code === '23505' || (error as { code?: string }).code === '42P07') return;
        throw this.classify(error, `creating ${APPLIED_EVENTS_TABLE}`);
      }
    })();
    return this.ready;
  }

  private async connect(): Promise<pg.PoolClient> {
    try {
      return await this.options.pool.connect();
    } catch (error) {
      throw this.classify(error, `connecting for ${this.options.table}`);
    }
  }

  private classify(error: unknown, what: string): SwitchboardError {
    const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
    const text = `${what} failed: ${typeof message === 'string' ? message : String(error)}${typeof code === 'string' ? ` (${code})` : ''}`;
    // Node's network errors (ECONNREFUSED, ...) and PostgreSQL's passing states are worth a retry.
    if (typeof code !== 'string' || code.startsWith('E') || PASSING_STATES.test(code)) return new PostgresTargetUnavailableError(text, { cause: error });
    return new PostgresTargetRejectedError(text, { cause: error });
  }
}
