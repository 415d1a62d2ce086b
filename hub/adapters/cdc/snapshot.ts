import pg from 'pg';
import type { CapturedTable } from './captured-table.js';
import type { RowText } from './change-record.js';
import { connect } from './postgres-source.js';

/** A new replication slot and the snapshot exported with it; `release()` ends the exported snapshot. */
export interface SlotSnapshot {
  readonly slot: string;
  /** Where streaming starts: every transaction committed after the snapshot. */
  readonly consistentPoint: string;
  readonly snapshotName: string;
  release(): Promise<void>;
}

/**
 * Creates the logical replication slot (pgoutput) and exports its snapshot: the rows read in
 * that snapshot plus the changes streamed from the slot are every change of the tables,
 * exactly once. The snapshot lives as long as the replication connection that created it, so
 * call `release()` only after reading it.
 *
 * @example
 * ```ts
 * const created = await createSlotWithSnapshot(url, 'switchboard_legacy_warehouse');
 * for await (const rows of readSnapshotRows(reader, created.snapshotName, table)) ...;
 * await created.release();
 * ```
 */
export async function createSlotWithSnapshot(databaseUrl: string, slot: string): Promise<SlotSnapshot> {
  const holder = await connect(databaseUrl, true);
  try {
    const { rows } = await holder.query<{ consistent_point: string; snapshot_name: string }>(`CREATE_REPLICATION_SLOT ${pg.escapeIdentifier(slot)} LOGICAL pgoutput EXPORT_SNAPSHOT`);
    const [row] = rows;
    return { slot, consistentPoint: row.consistent_point, snapshotName: row.snapshot_name, release: () => holder.end().catch(() => undefined) };
  } catch (error) {
    await holder.end().catch(() => undefined);
    throw error;
  }
}

/**
 * Reads the tables in the exported snapshot, in batches of `batchRows` rows (a cursor: memory
 * stays flat on big tables); values as PostgreSQL's text. One repeatable-read transaction for
 * every table, so they are all seen at the same moment.
 */
export async function* readSnapshotRows(client: pg.Client, snapshotName: string, tables: readonly CapturedTable[], batchRows = 1000): AsyncGenerator<{ table: CapturedTable; rows: RowText[] }> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    await client.query(`SET TRANSACTION SNAPSHOT ${pg.escapeLiteral(snapshotName)}`);
    for (const table of tables) {
      const columns = table.columns.map((column) => pg.escapeIdentifier(column.name)).join(', ');
      await client.query(`DECLARE switchboard_snapshot NO SCROLL CURSOR FOR SELECT ${columns} FROM ${pg.escapeIdentifier(table.spec.schema)}.${pg.escapeIdentifier(table.spec.table)}`);
      for (;;) {
        const { rows } = await client.query<RowText>(`FETCH ${batchRows} FROM switchboard_snapshot`);
        if (rows.length === 0) break;
        yield { table, rows };
      }
      await client.query('CLOSE switchboard_snapshot');
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
