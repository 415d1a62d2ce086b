import type { RegistryRecord } from './records.js';
import type { SchemaStore } from './store.js';

/**
 * A SchemaStore in memory, for unit tests of the routes and the service only: it keeps
 * nothing across processes. Production uses KafkaSchemaStore.
 */
export class MemorySchemaStore implements SchemaStore {
  /** Every record appended, in order (tests inspect it). */
  readonly log: RegistryRecord[] = [];
  private apply: ((record: RegistryRecord) => void) | undefined;
  /** When set, the next append fails with this error (to test store failures). */
  failNextAppend: Error | undefined;

  constructor(initial: readonly RegistryRecord[] = []) {
    this.log.push(...initial);
  }

  async start(apply: (record: RegistryRecord) => void): Promise<void> {
    this.apply = apply;
    for (const record of this.log) apply(record);
  }

  /** One process, one writer: nothing to fence or to catch up on. */
  async claim(): Promise<void> {}

  async catchUp(): Promise<void> {}

  async append(records: readonly RegistryRecord[]): Promise<void> {
    if (this.failNextAppend) {
      const error = this.failNextAppend;
      this.failNextAppend = undefined;
      throw error;
    }
    for (const record of records) {
      this.log.push(record);
      this.apply?.(record);
    }
  }

  async close(): Promise<void> {
    this.apply = undefined;
  }
}
