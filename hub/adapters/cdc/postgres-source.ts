import pg from 'pg';
import { ERRORS, SwitchboardError } from '../../errors/index.js';
import type { CdcTableSpec } from '../../../catalogue/index.js';
import { TableUnsupportedError, type TableColumn } from './captured-table.js';

/** PostgreSQL could not be reached, or the replication connection broke: retried. */
export class CdcSourceUnavailableError extends SwitchboardError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(ERRORS.CDC_SOURCE_UNAVAILABLE.code, message, options);
  }
}

/** The replication slot is streamed by another process. */
export class CdcSlotBusyError extends SwitchboardError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(ERRORS.CDC_SLOT_BUSY.code, message, options);
  }
}

/** The database cannot decode logical changes (wal_level, REPLICATION). */
export class CdcDatabaseNotLogicalError extends SwitchboardError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(ERRORS.CDC_DATABASE_NOT_LOGICAL.code, message, options);
  }
}

/**
 * Session settings of every connection of the CDC process, so values come in the text forms
 * column-types.ts reads (ISO dates, UTC times, every float digit).
 */
export const SESSION_OPTIONS = '-c DateStyle=ISO,MDY -c TimeZone=UTC -c IntervalStyle=iso_8601 -c extra_float_digits=3';

/** pg's type parsers turned off: every value arrives as PostgreSQL's text. */
const TEXT_TYPES = { getTypeParser: () => (value: string) => value };

/**
 * Connection settings for the CDC process: its URL with the session options, values as text.
 * With `replication: 'database'` for a walsender connection.
 */
export function connectionConfig(databaseUrl: string, replication = false): pg.ClientConfig {
  return { connectionString: databaseUrl, options: SESSION_OPTIONS, types: TEXT_TYPES, application_name: 'switchboard-cdc', ...(replication ? { replication: 'database' } : {}) } as pg.ClientConfig;
}

/** A connected client; a failure to connect is CdcSourceUnavailableError. */
export async function connect(databaseUrl: string, replication = false): Promise<pg.Client> {
  const client = new pg.Client(connectionConfig(databaseUrl, replication));
  try {
    await client.connect();
  } catch (error) {
    throw new CdcSourceUnavailableError(`could not connect to PostgreSQL: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return client;
}

/** A replication slot as pg_replication_slots shows it. */
export interface SlotInfo {
  readonly name: string;
  readonly active: boolean;
  readonly confirmedFlushLsn: string | null;
}

/**
 * The catalogue queries and slot commands of the CDC process, on one ordinary connection.
 *
 * @example
 * ```ts
 * const source = new PostgresSource(await connect(url));
 * const columns = await source.columns(spec);
 * ```
 */
export class PostgresSource {
  constructor(readonly client: pg.Client) {}

  /** Refuses a server that cannot decode logical changes. */
  async checkLogical(): Promise<void> {
    const { rows } = await this.client.query<{ wal_level: string; replication: boolean }>(
      "SELECT current_setting('wal_level') AS wal_level, (SELECT rolreplication OR rolsuper FROM pg_roles WHERE rolname = current_user) AS replication",
    );
    const [row] = rows;
    if (row?.wal_level !== 'logical') throw new CdcDatabaseNotLogicalError(`wal_level is ${row?.wal_level ?? 'unknown'}; change-data capture needs wal_level=logical (and a restart of PostgreSQL)`);
    if (String(row.replication) !== 't' && row.replication !== true) throw new CdcDatabaseNotLogicalError('the role of CDC_DATABASE_URL lacks the REPLICATION attribute (ALTER ROLE ... REPLICATION)');
  }

  /** The table's columns in table order, and its primary key's columns in key order; TableUnsupportedError when the table is missing. */
  async describe(spec: CdcTableSpec): Promise<{ columns: TableColumn[]; keyColumns: string[] }> {
    const { rows } = await this.client.query<{ name: string; type_oid: string; key_position: string | null }>(
      `SELECT a.attname AS name, a.atttypid AS type_oid, array_position(i.indkey::int2[], a.attnum) AS key_position
         FROM pg_attribute a
         JOIN pg_class c ON c.oid = a.attrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
        WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
        ORDER BY a.attnum`,
      [spec.schema, spec.table],
    );
    if (rows.length === 0) throw new TableUnsupportedError(`table ${spec.schema}.${spec.table} does not exist in the database of source ${spec.source}`);
    const keyColumns = rows.filter((row) => row.key_position !== null).sort((a, b) => Number(a.key_position) - Number(b.key_position)).map((row) => row.name);
    return { columns: rows.map((row) => ({ name: row.name, typeOid: Number(row.type_oid) })), keyColumns };
  }

  /** Makes the publication publish exactly the given tables (created when missing). */
  async ensurePublication(publication: string, specs: readonly CdcTableSpec[]): Promise<void> {
    const tables = specs.map((spec) => `${pg.escapeIdentifier(spec.schema)}.${pg.escapeIdentifier(spec.table)}`).join(', ');
    const { rowCount } = await this.client.query('SELECT 1 FROM pg_publication WHERE pubname = $1', [publication]);
    const name = pg.escapeIdentifier(publication);
    await this.client.query(rowCount ? `ALTER PUBLICATION ${name} SET TABLE ${tables}` : `CREATE PUBLICATION ${name} FOR TABLE ${tables}`);
  }

  async slot(name: string): Promise<SlotInfo | undefined> {
    const { rows } = await this.client.query<{ active: string | boolean; confirmed_flush_lsn: string | null }>(
      'SELECT active, confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = $1',
      [name],
    );
    const [row] = rows;
    return row ? { name, active: row.active === true || row.active === 't', confirmedFlushLsn: row.confirmed_flush_lsn } : undefined;
  }

  async dropSlot(name: string): Promise<void> {
    await this.client.query('SELECT pg_drop_replication_slot($1)', [name]);
  }

  /** Writes a logical message into the WAL: an idle source still gets commits to confirm, so its slot keeps no old WAL. */
  async heartbeat(): Promise<void> {
    await this.client.query("SELECT pg_logical_emit_message(true, 'switchboard.cdc', 'heartbeat')");
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}
