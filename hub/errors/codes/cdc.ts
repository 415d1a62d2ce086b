import { defineArea } from './define.js';

/** Change-data capture of existing PostgreSQL databases (hub/adapters/cdc, `switchboard cdc`). */
export const CDC = defineArea('CDC', 'Change-data capture of an existing PostgreSQL database (`switchboard cdc`): its row changes published as events. Nothing is confirmed to PostgreSQL before Kafka has it, so a failure only delays events.', {
  SOURCE_UNAVAILABLE: { status: null, retriable: true, description: 'PostgreSQL could not be reached or the replication connection broke; the process reconnects and resumes from the last confirmed position. Check the database and CDC_DATABASE_URL.' },
  SLOT_BUSY: { status: null, retriable: true, description: 'The replication slot is in use by another process (a second `switchboard cdc` of the same source); only one may stream it. Stop the other, or give this one its own CDC_SLOT.' },
  TABLE_UNSUPPORTED: { status: null, retriable: false, description: 'A catalogue table cannot be captured: it does not exist, has no primary key, or a column name is not an Avro name (letters, digits, _). Fix the table or the CDC_TABLES entry.' },
  SCHEMA_REFUSED: { status: null, retriable: false, description: 'The schema registry refused the schema derived from a changed table (a column type changed or a column became incompatible); the process stops before the change. Revert the column change or capture the table under a new name.' },
  DATABASE_NOT_LOGICAL: { status: null, retriable: false, description: 'The database cannot stream logical changes (wal_level is not logical, or the role lacks REPLICATION); set wal_level=logical and grant REPLICATION, then restart.' },
});
