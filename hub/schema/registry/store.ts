import type { RegistryRecord } from './records.js';

/**
 * Where the registry keeps its records. The real one is KafkaSchemaStore (the compacted
 * `_schemas` topic); MemorySchemaStore exists for unit tests only.
 *
 * Lifecycle: `start(apply)` replays every stored record, in log order, into `apply` and
 * resolves once caught up with the log as it was at start; afterwards `apply` keeps receiving
 * new records, including those written by other registry instances. `append` resolves only
 * after the records are durably acknowledged AND have been passed to `apply`, so a write is
 * visible in memory when its request is answered.
 *
 * Single writer: `claim()` makes this instance the store's only writer (any earlier claimant
 * can no longer append) and resolves once everything stored before is applied, so the next id
 * is decided on the whole log. `append` without a claim, after another instance claimed, or
 * after a failed append is refused with the registry's 50003 (writerUnavailable).
 */
export interface SchemaStore {
  start(apply: (record: RegistryRecord) => void): Promise<void>;
  claim(): Promise<void>;
  append(records: readonly RegistryRecord[]): Promise<void>;
  /** Resolves once everything stored so far (by any instance) has been applied. */
  catchUp(): Promise<void>;
  close(): Promise<void>;
}
