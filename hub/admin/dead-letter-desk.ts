import { ERRORS, isSwitchboardError } from '../errors/index.js';
import type { DeadLetterMark, DeadLetterMarks, DeadLetterStatus } from '../runtime/dead-letter-marks.js';
import type { DeadLetter, DeadLetters, ReplayOutcome } from '../runtime/dead-letters.js';
import type { AvroCodec } from '../schema/codec/avro-codec.js';
import { ConflictError, NotFoundError } from '../service/errors.js';
import type { DeadLetterIndex, IndexedDeadLetter } from './dead-letter-index.js';
import type { PersonalData } from './personal-data.js';

/** A dead letter in a list: what failed, why, where it came from, and what became of it. */
export interface DeadLetterSummary extends Omit<DeadLetter, 'eventId' | 'headers' | 'value'> {
  readonly eventId: string | null;
  /** Who replayed or discarded it, when, and why. */
  readonly mark: DeadLetterMark | null;
}

/** One dead letter with its event: headers and the payload decoded through the registry. */
export interface DeadLetterDetail extends DeadLetterSummary {
  readonly headers: Readonly<Record<string, string>>;
  /** The decoded event, or null when its bytes cannot be decoded (`decodeError` says why). */
  readonly payload: { readonly schemaId: number; readonly eventType: string | null; readonly value: unknown } | null;
  readonly decodeError: string | null;
  /** The raw bytes, base64, when they cannot be decoded (operators and admins only). */
  readonly raw: string | null;
  /** True when personal data was masked (a viewer asked). */
  readonly masked: boolean;
}

/** The dead letters of one connector with one error code. */
export interface DeadLetterGroup {
  readonly connector: string;
  readonly code: string;
  readonly count: number;
  readonly open: number;
  readonly replayed: number;
  readonly discarded: number;
  readonly firstSeen: string;
  readonly lastSeen: string;
}

/** Which dead letters a listing wants. */
export interface DeadLetterFilter {
  /** Default `open`. */
  readonly status?: DeadLetterStatus | 'all';
  readonly code?: string;
}

/** The outcome of replaying one dead letter. */
export type ReplayResult = Pick<ReplayOutcome, 'id' | 'outcome'> & { readonly mark?: DeadLetterMark };

export interface DeadLetterDeskOptions {
  readonly index: DeadLetterIndex;
  readonly marks: DeadLetterMarks;
  readonly deadLetters: DeadLetters;
  readonly codec: AvroCodec;
  readonly personal: PersonalData;
}

/**
 * What operators do with dead letters through the admin API: list them (from the in-memory
 * index, with their marks from Redis), group them by error code, show one decoded, replay one,
 * a selection or a whole group (each at most once: DeadLetters.replayOnce claims it first), and
 * discard one with a reason. Personal data is masked for viewers (`masked: true`).
 *
 * @example
 * ```ts
 * const desk = new DeadLetterDesk({ index, marks, deadLetters, codec, personal });
 * const groups = await desk.groups(['erp-po-to-scm'], { status: 'open' });
 * const results = await desk.replay('erp-po-to-scm', ['0:3'], 'alice', 'warehouse created');
 * ```
 */
export class DeadLetterDesk {
  constructor(private readonly options: DeadLetterDeskOptions) {}

  /** Dead letters grouped by connector and error code, largest groups first. */
  async groups(connectors: readonly string[], filter: DeadLetterFilter = {}): Promise<DeadLetterGroup[]> {
    const marks = await this.options.marks.allOf(connectors);
    const groups = new Map<string, { connector: string; code: string; count: number; open: number; replayed: number; discarded: number; firstSeen: string; lastSeen: string }>();
    for (const connector of connectors) {
      const connectorMarks = marks.get(connector) ?? new Map<string, DeadLetterMark>();
      for (const entry of this.options.index.letters(connector)) {
        const status = connectorMarks.get(entry.letter.id)?.status ?? 'open';
        if (!matches(entry, status, filter)) continue;
        const key = `${connector}\n${entry.letter.errorCode}`;
        const group = groups.get(key) ?? { connector, code: entry.letter.errorCode, count: 0, open: 0, replayed: 0, discarded: 0, firstSeen: entry.letter.failedAt, lastSeen: entry.letter.failedAt };
        group.count++;
        if (status === 'open') group.open++;
        else if (status === 'discarded') group.discarded++;
        else group.replayed++;
        if (entry.letter.failedAt < group.firstSeen) group.firstSeen = entry.letter.failedAt;
        if (entry.letter.failedAt > group.lastSeen) group.lastSeen = entry.letter.failedAt;
        groups.set(key, group);
      }
    }
    return [...groups.values()].sort((a, b) => b.count - a.count || a.connector.localeCompare(b.connector) || a.code.localeCompare(b.code));
  }

  /** One connector's dead letters, newest first, at most `limit` older than the `before` id. */
  async list(connector: string, filter: DeadLetterFilter & { limit: number; before?: string }, masked: boolean): Promise<{ letters: DeadLetterSummary[]; next: string | null; dropped: number }> {
    const marks = await this.options.marks.all(connector);
    const all = [...this.options.index.letters(connector)].reverse();
    let start = 0;
    if (filter.before !== undefined) {
      const at = all.findIndex((entry) => entry.letter.id === filter.before);
      start = at < 0 ? all.length : at + 1;
    }
    const letters: DeadLetterSummary[] = [];
    let i = start;
    for (; i < all.length && letters.length < filter.limit; i++) {
      const mark = marks.get(all[i].letter.id);
      if (!matches(all[i], mark?.status ?? 'open', filter)) continue;
      letters.push(this.summary(all[i], mark, masked ? this.personalIn(all[i]) : undefined));
    }
    const more = all.slice(i).some((entry) => matches(entry, marks.get(entry.letter.id)?.status ?? 'open', filter));
    return { letters, next: more && letters.length > 0 ? (letters.at(-1) as DeadLetterSummary).id : null, dropped: this.options.index.dropped(connector) };
  }

  /** One dead letter with its headers and decoded payload. */
  async show(connector: string, id: string, masked: boolean): Promise<DeadLetterDetail> {
    const entry = this.find(connector, id);
    const mark = (await this.options.marks.all(connector)).get(id);
    const { headers: eventHeaders, value } = await this.options.index.readPayload(entry);
    let payload: DeadLetterDetail['payload'] = null;
    let decodeError: string | null = null;
    if (value === null) {
      decodeError = 'the record has no value';
    } else {
      try {
        const decoded = await this.options.codec.decode(value);
        payload = { schemaId: decoded.schemaId, eventType: decoded.fullName ?? null, value: decoded.value };
      } catch (error) {
        decodeError = isSwitchboardError(error) ? `${error.code}: ${error.message}` : String(error);
      }
    }
    const shown = masked && payload !== null ? this.options.personal.mask(payload.eventType ?? undefined, payload.value) : undefined;
    const personal = shown?.personal ?? [];
    const headers = masked ? Object.fromEntries(Object.entries(eventHeaders).map(([name, text]) => [name, this.options.personal.scrub(text, personal)])) : eventHeaders;
    return {
      ...this.summary(entry, mark, masked ? personal : undefined),
      headers,
      payload: payload === null ? null : { ...payload, value: shown ? shown.value : payload.value },
      decodeError,
      // Bytes nobody could decode may still hold personal data: viewers do not get them.
      raw: payload === null && value !== null && !masked ? value.toString('base64') : null,
      masked,
    };
  }

  /** Replays the given dead letters, each at most once; unknown ids refuse the whole request before anything is replayed. */
  async replay(connector: string, ids: readonly string[], by: string, reason?: string): Promise<ReplayResult[]> {
    const entries = ids.map((id) => this.find(connector, id));
    const results: ReplayResult[] = [];
    for (const entry of entries) {
      const { headers, value } = await this.options.index.readPayload(entry);
      const outcome = await this.options.deadLetters.replayOnce({ ...entry.letter, headers, value, status: 'open' }, by, reason);
      results.push({ id: outcome.id, outcome: outcome.outcome, ...(outcome.mark ? { mark: outcome.mark } : {}) });
    }
    return results;
  }

  /** Replays every open dead letter of `connector` with error code `code` (each at most once). */
  async replayGroup(connector: string, code: string, by: string, reason?: string): Promise<ReplayResult[]> {
    const marks = await this.options.marks.all(connector);
    const ids = [...this.options.index.letters(connector)].filter((entry) => entry.letter.errorCode === code && !marks.has(entry.letter.id)).map((entry) => entry.letter.id);
    return this.replay(connector, ids, by, reason);
  }

  /** Marks a dead letter discarded; discarding it again changes nothing; a replayed one cannot be. */
  async discard(connector: string, id: string, by: string, reason: string): Promise<{ id: string; outcome: 'discarded' | 'already-discarded' }> {
    this.find(connector, id);
    const standing = await this.options.marks.claimDiscard(connector, id, { status: 'discarded', at: new Date().toISOString(), by, reason });
    if (standing === undefined) return { id, outcome: 'discarded' };
    if (standing.status === 'discarded') return { id, outcome: 'already-discarded' };
    throw new ConflictError(ERRORS.ADMIN_DEAD_LETTER_STATE.code, `dead letter ${id} of ${connector} is ${standing.status} (${standing.at}${standing.by ? ` by ${standing.by}` : ''}); only an open one can be discarded`, { field: 'id' });
  }

  private find(connector: string, id: string): IndexedDeadLetter {
    const entry = this.options.index.get(connector, id);
    if (!entry) throw new NotFoundError(ERRORS.ADMIN_DEAD_LETTER_NOT_FOUND.code, `connector ${connector} has no dead letter ${id}`, { field: 'id' });
    return entry;
  }

  /** The personal values of an entry's payload when it decodes without a registry round trip (for scrubbing list texts). */
  private personalIn(entry: IndexedDeadLetter): readonly string[] {
    if (!entry.payload?.value) return [];
    try {
      const decoded = this.options.codec.decodeSync(entry.payload.value);
      return decoded ? this.options.personal.mask(decoded.fullName, decoded.value).personal : [];
    } catch {
      return [];
    }
  }

  private summary(entry: IndexedDeadLetter, mark: DeadLetterMark | undefined, personal: readonly string[] | undefined): DeadLetterSummary {
    const { letter } = entry;
    return {
      id: letter.id,
      connector: letter.connector,
      status: mark?.status ?? 'open',
      errorCode: letter.errorCode,
      errorMessage: personal === undefined ? letter.errorMessage : this.options.personal.scrub(letter.errorMessage, personal),
      attempts: letter.attempts,
      originalTopic: letter.originalTopic,
      originalPartition: letter.originalPartition,
      originalOffset: letter.originalOffset,
      failedAt: letter.failedAt,
      key: letter.key,
      eventId: letter.eventId ?? null,
      mark: mark === undefined ? null : mark.reason !== undefined && personal !== undefined ? { ...mark, reason: this.options.personal.scrub(mark.reason, personal) } : mark,
    };
  }
}

function matches(entry: IndexedDeadLetter, status: DeadLetterStatus, filter: DeadLetterFilter): boolean {
  const wanted = filter.status ?? 'open';
  if (wanted !== 'all' && wanted !== status) return false;
  return filter.code === undefined || entry.letter.errorCode === filter.code;
}
