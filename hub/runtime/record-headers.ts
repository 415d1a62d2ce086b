import { parseTraceparent } from '../bus/index.js';

/**
 * Headers the runtime adds to records it parks in `switchboard.retry.<connector>` and
 * dead-letters to `switchboard.dlq.<connector>`, next to the event's own headers (which are
 * kept as they were, so a replayed record is the original event).
 */
export const RUNTIME_HEADER = Object.freeze({
  errorCode: 'swb_error_code',
  errorMessage: 'swb_error_message',
  attempts: 'swb_attempts',
  originalTopic: 'swb_original_topic',
  originalPartition: 'swb_original_partition',
  originalOffset: 'swb_original_offset',
  connector: 'swb_connector',
  failedAt: 'swb_failed_at',
  /** Epoch ms before which a parked record is not tried again. */
  nextAttemptAt: 'swb_next_attempt_at',
  /** Rounds through the retry topic so far. */
  parkRound: 'swb_park_round',
  /** Epoch ms of the event's first failure, kept across rounds (the missing-dependency deadline counts from it). */
  firstFailedAt: 'swb_first_failed_at',
  /** Identifies a parked record in its key's queue (see ParkedKeys). */
  parkId: 'swb_park_id',
  /** Set on a dead letter replayed by an operator: `<dlq partition>:<offset>`. */
  replayOf: 'swb_replay_of',
});

const RUNTIME_PREFIX = 'swb_';

/** The event's own headers: everything but the runtime's. */
export function eventHeadersOf(headers: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !name.startsWith(RUNTIME_PREFIX)) out[name] = value;
  }
  return out;
}

/** Where a record came from originally (itself, unless it was parked or replayed). */
export interface Origin {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

export function originOf(record: { topic: string; partition: number; offset: string; headers: Readonly<Record<string, string | undefined>> }): Origin {
  const topic = record.headers[RUNTIME_HEADER.originalTopic];
  const partition = record.headers[RUNTIME_HEADER.originalPartition];
  const offset = record.headers[RUNTIME_HEADER.originalOffset];
  if (topic && partition !== undefined && offset !== undefined) return { topic, partition: Number(partition), offset };
  return { topic: record.topic, partition: record.partition, offset: record.offset };
}

/** The ids a log line about one event carries, so an operator can find the event and its trace. */
export function eventLogContext(headers: Readonly<Record<string, string | undefined>>): { event_id?: string; correlation_id?: string; trace_id?: string } {
  return {
    event_id: headers.ce_id,
    correlation_id: headers.correlation_id,
    trace_id: parseTraceparent(headers.traceparent)?.traceId,
  };
}
