import avro from 'avsc';
import { CDC_TABLES, cdcRecordFullName, type CdcTableSpec } from '../../../catalogue/index.js';
import { checkCompatibility } from '../../schema/compatibility/index.js';
import { parseAvroSchema as parseSchema } from '../../schema/decimal-type.js';
import { capturedTable, TableUnsupportedError } from './captured-table.js';
import { changeRecord, changeKey } from './change-record.js';
import { PG_TYPE } from './column-types.js';

const spec = CDC_TABLES[0] as CdcTableSpec;
const parseAvroSchema = (schema: Readonly<Record<string, unknown>>) => parseSchema(schema as avro.Schema);
const TEXT = 25;
const columns = [
  { name: 'sku', typeOid: TEXT },
  { name: 'warehouse_id', typeOid: TEXT },
  { name: 'on_hand', typeOid: PG_TYPE.int4 },
  { name: 'updated_at', typeOid: PG_TYPE.timestamptz },
];
const table = capturedTable(spec, columns, ['sku', 'warehouse_id'], 't1.');

describe('a captured table', () => {
  it('names its topic, subject and record after the catalogue', () => {
    expect(table.topic).toBe('t1.cdc.legacy-warehouse.public.stock_levels');
    expect(table.subject).toBe(`t1.cdc.legacy-warehouse.public.stock_levels-${cdcRecordFullName(spec)}`);
    expect(parseAvroSchema(table.schema).name).toBe('switchboard.cdc.legacy_warehouse.public.stock_levels');
  });

  it('evolves BACKWARD_TRANSITIVE compatibly when a column is added, and incompatibly when a column changes type', () => {
    const v1 = parseAvroSchema(table.schema);
    const added = parseAvroSchema(capturedTable(spec, [...columns, { name: 'bin', typeOid: TEXT }], table.keyColumns, '').schema);
    expect(checkCompatibility(added, [{ version: 1, type: v1 }], 'BACKWARD_TRANSITIVE')).toEqual({ compatible: true, messages: [] });
    const retyped = parseAvroSchema(capturedTable(spec, columns.map((c) => (c.name === 'on_hand' ? { ...c, typeOid: TEXT } : c)), table.keyColumns, '').schema);
    expect(checkCompatibility(retyped, [{ version: 1, type: v1 }], 'BACKWARD_TRANSITIVE').compatible).toBe(false);
  });

  it('refuses a table without a primary key and a column Avro cannot name', () => {
    expect(() => capturedTable(spec, columns, [], '')).toThrow(TableUnsupportedError);
    expect(() => capturedTable(spec, [...columns, { name: 'unit price', typeOid: TEXT }], ['sku'], '')).toThrow(/"unit price"/);
  });
});

describe('a change record', () => {
  const after = { sku: 'SKU-1', warehouse_id: 'WH-L', on_hand: '7', updated_at: '2024-05-06 09:00:05+00' };

  it('is keyed by the primary key (a JSON array of a composite key), with CloudEvents headers and the Avro value', () => {
    const record = changeRecord(table, { op: 'update', before: { ...after, on_hand: '5' }, after, lsn: '0/16B3748', committedAt: 1714986005000, txId: 771 });
    expect(record.key).toBe('["SKU-1","WH-L"]');
    expect(record.headers).toMatchObject({ ce_specversion: '1.0', ce_source: 'legacy-warehouse', ce_type: 'cdc.legacy-warehouse.public.stock_levels.update', ce_time: '2024-05-06T09:00:05.000Z', correlation_id: '["SKU-1","WH-L"]' });
    expect(record.value).toEqual({
      op: 'update', lsn: '0/16B3748', committedAt: 1714986005000, txId: 771,
      before: { sku: 'SKU-1', warehouse_id: 'WH-L', on_hand: 5, updated_at: 1714986005000 },
      after: { sku: 'SKU-1', warehouse_id: 'WH-L', on_hand: 7, updated_at: 1714986005000 },
    });
    expect(avro.Type.forSchema(table.schema as avro.Schema).isValid(record.value)).toBe(true);
  });

  it('has an id stable across redelivery: the same change gives the same id, another LSN or key another', () => {
    const change = { op: 'insert' as const, before: null, after, lsn: '0/16B3748', committedAt: 1, txId: 1 };
    const id = changeRecord(table, change).headers.ce_id;
    expect(changeRecord(table, { ...change, committedAt: 2 }).headers.ce_id).toBe(id);
    expect(changeRecord(table, { ...change, lsn: '0/16B3750' }).headers.ce_id).not.toBe(id);
    expect(changeRecord(table, { ...change, after: { ...after, sku: 'SKU-2' } }).headers.ce_id).not.toBe(id);
    // Snapshot rows: the same content read again (a new snapshot after an interrupted one) keeps its id.
    const snapshot = { op: 'snapshot' as const, before: null, after, lsn: '0/1', committedAt: 1, txId: null };
    expect(changeRecord(table, { ...snapshot, lsn: '0/2' }).headers.ce_id).toBe(changeRecord(table, snapshot).headers.ce_id);
    expect(changeRecord(table, { ...snapshot, after: { ...after, on_hand: '8' } }).headers.ce_id).not.toBe(changeRecord(table, snapshot).headers.ce_id);
  });

  it('keys a delete by the key PostgreSQL sends, and refuses a change without its key', () => {
    expect(changeKey(table, { before: { sku: 'SKU-1', warehouse_id: 'WH-L' }, after: null })).toBe('["SKU-1","WH-L"]');
    expect(() => changeKey(table, { before: { sku: 'SKU-1' }, after: null })).toThrow(/primary key/);
  });
});
