import type { ConsumedRecord } from '../bus/index.js';
import { RUNTIME_HEADER } from '../runtime/record-headers.js';

/** What became of an event in one connector, as the timeline shows it. */
export const OUTCOME_KINDS = Object.freeze(['applied', 'parked', 'dead-lettered', 'replayed', 'discarded'] as const);
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

/** One connector outcome of one event. `id` makes a redelivered record write the same row again. */
export interface OutcomeFact {
  readonly id: string;
  readonly ceId: string;
  readonly connector: string;
  readonly kind: OutcomeKind;
  /** Epoch ms. */
  readonly at: number;
  readonly code: string | null;
  readonly message: string | null;
  /** The dead letter (`<partition>:<offset>` of the dead-letter topic) it is or replays. */
  readonly deadLetterId: string | null;
  readonly round: number | null;
}

const failedAtOf = (record: ConsumedRecord): number => {
  const header = Number(record.headers[RUNTIME_HEADER.failedAt]);
  return Number.isFinite(header) && header > 0 ? header : record.timestamp;
};

/**
 * The outcome a record of a connector's retry topic stands for: `replayed` when an operator
 * replayed a dead letter (it names the dead letter), else `parked` for one round. A record that
 * goes round again in the same round (waiting behind an earlier event of its key) has the same
 * id, so each round shows once. Undefined for a record without `ce_id`.
 *
 * @example
 * ```ts
 * retryOutcomeOf(record, 'crm-order-to-erp'); // { kind: 'parked', round: 1, code: ERRORS.RUNTIME_MISSING_DEPENDENCY.code, ... }
 * ```
 */
export function retryOutcomeOf(record: ConsumedRecord, connector: string): OutcomeFact | undefined {
  const ceId = record.headers.ce_id;
  if (!ceId) return undefined;
  const replayOf = record.headers[RUNTIME_HEADER.replayOf];
  if (replayOf) {
    return { id: `replayed:${connector}:${ceId}:${replayOf}`, ceId, connector, kind: 'replayed', at: record.timestamp, code: null, message: null, deadLetterId: replayOf, round: null };
  }
  const round = Number(record.headers[RUNTIME_HEADER.parkRound] ?? 0);
  const code = record.headers[RUNTIME_HEADER.errorCode] ?? null;
  return {
    id: `parked:${connector}:${ceId}:${round}:${code ?? ''}`,
    ceId, connector, kind: 'parked', at: failedAtOf(record), code, message: record.headers[RUNTIME_HEADER.errorMessage] ?? null, deadLetterId: null, round,
  };
}

/** The `dead-lettered` outcome of a record of a connector's dead-letter topic; undefined without `ce_id`. */
export function deadLetterOutcomeOf(record: ConsumedRecord, connector: string): OutcomeFact | undefined {
  const ceId = record.headers.ce_id;
  if (!ceId) return undefined;
  const deadLetterId = `${record.partition}:${record.offset}`;
  return {
    id: `dead-lettered:${connector}:${deadLetterId}`,
    ceId, connector, kind: 'dead-lettered', at: failedAtOf(record),
    code: record.headers[RUNTIME_HEADER.errorCode] ?? null, message: record.headers[RUNTIME_HEADER.errorMessage] ?? null, deadLetterId, round: null,
  };
}
