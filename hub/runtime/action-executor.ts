import type { EventMetadata } from '../bus/index.js';
import { MappingError, isSwitchboardError } from '../errors/index.js';
import type { Action, HttpResponse, ProduceAction, UpsertAction, XrefIds, XrefKind } from '../sdk/types.js';
import { MappingBugError, isProgrammingError } from './errors.js';
import { derivedEventId } from './event-id.js';
import { callTarget, type TargetGate } from './http-caller.js';

/** Where HTTP actions go; undefined for a topic-to-topic connector. */
export interface HttpDestination {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  /** The connector's `Authorization` header value, when it has a credential. */
  readonly authorization?: string;
  /** Authentication and rate limit of an external HTTP target (hub/adapters/sinks). */
  readonly gate?: TargetGate;
}

/** Writes the rows of upsert actions (a PostgreSQL target, hub/adapters/sinks), each idempotency key once. */
export interface RowWriter {
  upsert(action: UpsertAction, idempotencyKey: string): Promise<void>;
}

/** Remembers which idempotency keys' effects are done (Redis in the runtime: CompletedKeys). */
export interface CompletedKeyStore {
  has(idempotencyKey: string): Promise<boolean>;
  add(idempotencyKey: string): Promise<void>;
}

/** Publishes a produce action's event with the given id, caused by `cause` (EventPublisher in the runtime). */
export type PublishEvent = (action: ProduceAction, cause: EventMetadata, eventId: string) => Promise<void>;

/** Records cross-references (CrossReferences in the runtime). */
export interface XrefWriter {
  put(kind: XrefKind, ids: XrefIds): Promise<void>;
}

export interface ActionExecutorOptions {
  readonly http: HttpDestination | undefined;
  /** Where upsert actions go; undefined unless the target is a PostgreSQL table. */
  readonly rows?: RowWriter;
  readonly publish: PublishEvent;
  readonly completed: CompletedKeyStore;
  readonly xref: XrefWriter;
}

/**
 * Performs the actions a mapping returned for one event, in order; `onResponse` follow-ups of an
 * HTTP action run right after it. Every effect carries an idempotency key derived from
 * `<connector>:<ce_id>`: the first HTTP call gets it as is, the n-th further one `:<n>`;
 * produced events are recorded as done (Kafka cannot deduplicate them for us) and carry a
 * `ce_id` derived from `<key>:p<n>`. Running the same actions again is therefore safe.
 *
 * A produced event's mark is written before the next action starts; the last one's is handed
 * back, and the caller writes it in the same write as the event's own mark (one round trip
 * fewer per event, same order; the runtime waits out a Redis outage for that write).
 *
 * Its collaborators are narrow interfaces, so the testing kit drives this very class with a
 * recording publisher instead of a second copy of its rules.
 *
 * @example
 * ```ts
 * const executor = new ActionExecutor({ http: { baseUrl, timeoutMs: 10_000 }, publish, completed, xref });
 * const lastMark = await executor.execute(actions, event.metadata, `crm-order-to-erp:${event.metadata.id}`);
 * await Promise.all([lastMark && completed.add(lastMark), completed.add(`crm-order-to-erp:${event.metadata.id}`)]);
 * ```
 */
export class ActionExecutor {
  constructor(private readonly options: ActionExecutorOptions) {}

  /**
   * Performs `actions`; `onCall` sees every HTTP answer (the testing kit records them), and
   * `onStage` each kind of effect as it starts (the runtime's in-flight watchdog);
   * `firstProduceDone`, when read ahead for a whole batch, says whether the first produced
   * event's mark was there (undefined: ask the store). Resolves with the mark of the event
   * produced last when it is not written yet: the caller writes it together with the event's
   * own mark (EventProcessor.markApplied), one round trip fewer per event, same order.
   * Rejects with the classified failure of the first action that fails.
   */
  async execute(
    actions: readonly Action[],
    cause: EventMetadata,
    idempotencyKey: string,
    onCall?: (call: ExecutedCall) => void,
    onStage?: (stage: 'calling target' | 'producing' | 'writing cross-reference') => void,
    firstProduceDone?: boolean,
  ): Promise<string | undefined> {
    const { completed } = this.options;
    const queue = [...actions];
    let calls = 0;
    let produced = 0;
    let upserts = 0;
    /** The mark of the event produced last, not yet written. */
    let unmarked: string | undefined;
    while (queue.length > 0) {
      const action = queue.shift() as Action;
      if (unmarked !== undefined) {
        await completed.add(unmarked);
        unmarked = undefined;
      }
      switch (action.kind) {
        case 'http': {
          const destination = this.options.http;
          if (!destination) throw new MappingError('an HTTP action was returned by a connector whose target is a topic');
          const key = calls === 0 ? idempotencyKey : `${idempotencyKey}:${calls}`;
          calls++;
          onStage?.('calling target');
          const response = await callTarget({ ...destination, action, idempotencyKey: key, cause });
          onCall?.({ method: action.method, path: action.path, body: action.body, idempotencyKey: key, response });
          if (action.onResponse) queue.unshift(...(await runFollowUp(() => action.onResponse?.(response) ?? [])));
          break;
        }
        case 'produce': {
          const key = `${idempotencyKey}:p${produced}`;
          const known = produced === 0 ? firstProduceDone : undefined;
          produced++;
          if (known ?? (await completed.has(key))) break;
          onStage?.('producing');
          await this.options.publish(action, cause, derivedEventId(key));
          unmarked = key;
          break;
        }
        case 'xref.put':
          onStage?.('writing cross-reference');
          await this.options.xref.put(action.objectKind, action.ids);
          break;
        case 'upsert': {
          const rows = this.options.rows;
          if (!rows) throw new MappingError('an upsert action was returned by a connector whose target is not a PostgreSQL table');
          await rows.upsert(action, `${idempotencyKey}:r${upserts}`);
          upserts++;
          break;
        }
        default:
          throw new MappingError(`unknown action ${JSON.stringify((action as { kind?: unknown }).kind)}`);
      }
    }
    return unmarked;
  }
}

/** One HTTP call an execution made, with the target's answer. */
export interface ExecutedCall {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly idempotencyKey: string;
  readonly response: HttpResponse;
}

/** Runs a mapping's `onResponse` callback: its programming errors are bugs, not target failures. */
async function runFollowUp(build: () => readonly Action[] | Promise<readonly Action[]>): Promise<readonly Action[]> {
  try {
    return await build();
  } catch (error) {
    throw asMappingFailure(error);
  }
}

/** What a mapping threw, as the runtime classifies it. */
export function asMappingFailure(error: unknown): Error {
  if (isSwitchboardError(error)) return error;
  if (isProgrammingError(error)) return new MappingBugError(error);
  return new MappingError(`mapping failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}
