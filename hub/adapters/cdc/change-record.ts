import { cdcTopicName } from '../../../catalogue/index.js';
import { toEventHeaders } from '../../bus/index.js';
import { derivedEventId } from '../../runtime/event-id.js';
import type { CdcChange } from '../../sdk/types.js';
import { avroValueOf } from './column-types.js';
import type { CapturedTable } from './captured-table.js';

/** A row as PostgreSQL gives it: column name to text (null for NULL; undefined when not sent, e.g. unchanged TOAST). */
export type RowText = Readonly<Record<string, string | null | undefined>>;

/** One row change as read from the snapshot or the replication stream. */
export interface RowChange {
  readonly op: CdcChange['op'];
  readonly before: RowText | null;
  readonly after: RowText | null;
  /** The change's own LSN (the snapshot's consistent point for snapshot rows). */
  readonly lsn: string;
  readonly committedAt: number;
  readonly txId: number | null;
}

/** A change ready to be encoded: where it goes, its key, headers and Avro value. */
export interface ChangeRecord {
  readonly table: CapturedTable;
  readonly key: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly value: CdcChange;
}

/**
 * The record key of a change: the primary key's text, or for a composite key a JSON array of
 * the parts' texts in key order (`["SKU-1","WH-2"]`). The row after the change, else before it.
 */
export function changeKey(table: CapturedTable, change: Pick<RowChange, 'before' | 'after'>): string {
  const row = change.after ?? change.before;
  const parts = table.keyColumns.map((column) => row?.[column]);
  if (parts.some((part) => part === null || part === undefined)) {
    throw new RangeError(`a change of ${table.spec.schema}.${table.spec.table} lacks its primary key (${table.keyColumns.join(', ')})`);
  }
  return parts.length === 1 ? (parts[0] as string) : JSON.stringify(parts);
}

/**
 * The event id of a change, stable across redelivery: streamed changes are named by source,
 * LSN, table and key (one WAL record may insert several rows, so the LSN alone is not enough);
 * snapshot rows by source, table, key and content, so re-reading an unchanged row after an
 * interrupted snapshot gives the id consumers already have.
 */
export function changeEventId(table: CapturedTable, change: RowChange, key: string): string {
  const where = `${table.spec.schema}.${table.spec.table}`;
  return change.op === 'snapshot'
    ? derivedEventId(`cdc:${table.spec.source}:snapshot:${where}:${key}:${JSON.stringify(change.after)}`)
    : derivedEventId(`cdc:${table.spec.source}:${change.lsn}:${where}:${key}`);
}

function avroRow(table: CapturedTable, row: RowText | null): Record<string, unknown> | null {
  if (!row) return null;
  return Object.fromEntries(table.columns.map((column) => [column.name, avroValueOf(column.typeOid, row[column.name])]));
}

/**
 * The record of one change: keyed by primary key, CloudEvents headers (`ce_type`
 * `<topic>.<op>`, `ce_source` the source's name, `ce_time` the commit time, a new correlation
 * per row: its key), and the Avro value of {@link CdcChange}.
 *
 * @example
 * ```ts
 * const record = changeRecord(table, { op: 'update', before: null, after: { sku: 'S-1', on_hand: '7' }, lsn: '0/16B3748', committedAt: Date.now(), txId: 771 });
 * ```
 */
export function changeRecord(table: CapturedTable, change: RowChange): ChangeRecord {
  const key = changeKey(table, change);
  const id = changeEventId(table, change, key);
  const headers = toEventHeaders({
    id,
    source: table.spec.source,
    type: `${cdcTopicName(table.spec)}.${change.op}`,
    time: new Date(change.committedAt).toISOString(),
    correlationId: key,
  });
  const value: CdcChange = {
    op: change.op,
    before: avroRow(table, change.before),
    after: avroRow(table, change.after),
    lsn: change.lsn,
    committedAt: change.committedAt,
    txId: change.txId,
  };
  return { table, key, headers, value };
}
