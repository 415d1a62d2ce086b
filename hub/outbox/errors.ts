import { ERRORS, SwitchboardError } from '../errors/index.js';

/**
 * An outbox row that cannot be turned into a Kafka record: its event type is not in the
 * catalogue, its payload is not JSON, or the payload does not match the event's Avro schema.
 * That is a programming error in the service that wrote it; retrying cannot fix it, so the
 * relay stops before the row (keeping order) and reports it. Not retriable.
 */
export class OutboxRowError extends SwitchboardError {
  /** The row's event id (ce_id). */
  readonly eventId: string;
  /** The row's position in the outbox. */
  readonly seq: number;

  constructor(row: { readonly eventId: string; readonly seq: number }, message: string, cause?: unknown) {
    super(ERRORS.OUTBOX_ROW_UNPUBLISHABLE.code, `outbox row ${row.seq} (event ${row.eventId}): ${message}`, { cause });
    this.eventId = row.eventId;
    this.seq = row.seq;
  }
}
