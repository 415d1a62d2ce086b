import { cdcRecordFullName, cdcTopicName, type CdcTableSpec } from '../../../catalogue/index.js';
import { ERRORS, SwitchboardError } from '../../errors/index.js';
import { avroTypeOf, type AvroType } from './column-types.js';

/** A catalogue table that cannot be captured: missing, without a primary key, or with a column Avro cannot name. */
export class TableUnsupportedError extends SwitchboardError {
  constructor(message: string) {
    super(ERRORS.CDC_TABLE_UNSUPPORTED.code, message);
  }
}

/** One column as PostgreSQL describes it (pg_attribute, or a pgoutput Relation message). */
export interface TableColumn {
  readonly name: string;
  readonly typeOid: number;
}

/**
 * A catalogue table as the CDC process sees it now: its columns in table order and its primary
 * key. It changes when a Relation message (or a new snapshot) describes other columns.
 */
export interface CapturedTable {
  readonly spec: CdcTableSpec;
  readonly columns: readonly TableColumn[];
  readonly keyColumns: readonly string[];
  /** The topic, behind the deployment's prefix. */
  readonly topic: string;
  /** The registry subject (TopicRecordNameStrategy), behind the same prefix. */
  readonly subject: string;
  /** The Avro schema of the table's change events (see {@link changeEventSchema}). */
  readonly schema: Readonly<Record<string, unknown>>;
}

const AVRO_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TIMESTAMP_MILLIS = { type: 'long', logicalType: 'timestamp-millis' };

/**
 * The table with everything derived from its columns; throws TableUnsupportedError for a
 * table without a primary key or with a name Avro cannot hold.
 *
 * @example
 * ```ts
 * capturedTable(spec, [{ name: 'sku', typeOid: 25 }, { name: 'on_hand', typeOid: 23 }], ['sku'], '');
 * ```
 */
export function capturedTable(spec: CdcTableSpec, columns: readonly TableColumn[], keyColumns: readonly string[], prefix: string): CapturedTable {
  const where = `${spec.schema}.${spec.table}`;
  if (keyColumns.length === 0) throw new TableUnsupportedError(`table ${where} has no primary key; events are keyed by it, so add one`);
  for (const name of [spec.schema, spec.table, ...columns.map((column) => column.name)]) {
    if (!AVRO_NAME.test(name)) throw new TableUnsupportedError(`${JSON.stringify(name)} in ${where} is not an Avro name (letters, digits and _, not starting with a digit)`);
  }
  const topic = cdcTopicName(spec, prefix);
  return { spec, columns, keyColumns, topic, subject: `${topic}-${cdcRecordFullName(spec)}`, schema: changeEventSchema(spec, columns) };
}

/**
 * The Avro schema of a table's change events: `op`, the row `before` and `after` the change
 * (every column nullable with default null, so adding a column stays BACKWARD_TRANSITIVE
 * compatible), the change's `lsn`, when it committed and its transaction id. The record's full
 * name is the catalogue's `cdcRecordFullName`, e.g. `switchboard.cdc.legacy_warehouse.public.stock_levels`.
 *
 * @example
 * ```ts
 * changeEventSchema(spec, [{ name: 'sku', typeOid: 25 }]).name; // 'stock_levels'
 * ```
 */
export function changeEventSchema(spec: CdcTableSpec, columns: readonly TableColumn[]): Readonly<Record<string, unknown>> {
  const fullName = cdcRecordFullName(spec);
  const namespace = fullName.slice(0, fullName.lastIndexOf('.'));
  const rowName = `${spec.table}_row`;
  const field = (name: string, type: AvroType) => ({ name, type: ['null', type], default: null, doc: `Column ${name}; null when NULL (or not sent: see docs/adapters.md).` });
  const row = { type: 'record', name: rowName, doc: `A row of ${spec.schema}.${spec.table}.`, fields: columns.map((column) => field(column.name, avroTypeOf(column.typeOid))) };
  return {
    type: 'record',
    name: spec.table,
    namespace,
    doc: `A change of a row of ${spec.schema}.${spec.table} in ${spec.source}, captured by switchboard cdc. ${spec.description}`,
    fields: [
      { name: 'op', type: 'string', doc: 'snapshot (read when capture started), insert, update or delete.' },
      { name: 'before', type: ['null', row], default: null, doc: 'The row before the change: all columns with REPLICA IDENTITY FULL, else the key on a delete; null on inserts.' },
      { name: 'after', type: ['null', `${namespace}.${rowName}`], default: null, doc: 'The row after the change; null on a delete.' },
      { name: 'lsn', type: 'string', doc: 'PostgreSQL LSN of the change (of the snapshot for snapshot rows).' },
      { name: 'committedAt', type: TIMESTAMP_MILLIS, doc: 'When the transaction committed (the snapshot was taken).' },
      { name: 'txId', type: ['null', 'long'], default: null, doc: 'The transaction id; null for snapshot rows.' },
    ],
  };
}
