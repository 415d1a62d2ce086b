/**
 * Change-data capture of existing PostgreSQL databases (`switchboard cdc`, docs/adapters.md):
 * logical replication with pgoutput (pg and pg-logical-replication), an initial snapshot, then
 * streaming; each captured table's rows as Avro events whose schema is derived from its columns.
 */
export { CdcSource, type CdcSourceOptions, type CdcSourceState, type CdcSourceStatus } from './cdc-source.js';
export { loadCdcConfig, cdcConfigured, type CdcConfig } from './cdc-config.js';
export { capturedTable, changeEventSchema, TableUnsupportedError, type CapturedTable, type TableColumn } from './captured-table.js';
export { changeRecord, changeKey, changeEventId, type RowChange, type RowText, type ChangeRecord } from './change-record.js';
export { avroTypeOf, avroValueOf, PG_TYPE } from './column-types.js';
export { CdcState, type SourceState } from './cdc-state.js';
export { parseLsn, formatLsn } from './lsn.js';
