import type { EventMetadata } from '../bus/index.js';
import { MappingError, isSwitchboardError } from '../errors/index.js';
import type { Action, HttpResponse, ProduceAction, XrefIds, XrefKind } from '../sdk/types.js';
import { MappingBugError, isProgrammingError } from './errors.js';
import { derivedEventId } from './event-id.js';
import { callTarget } from './http-caller.js';

/** Where HTTP actions go; undefined for a topic-to-topic connector. */
export interface HttpDestination {
  readonly baseUrl: string;
  readonly timeoutMs: number;
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
  readonly publish: PublishEvent;
  readonly completed: CompletedKeyStore;
  readonly xref: XrefWriter;
}

/**
 * Performs the actions a mapping returned for one event, in order; `onResponse` follow-ups of an
 * HTTP action run right after it. Every effect carries an idempotency key derived from
 * `<connector>:<ce_id>`: the first HTTP call gets it as is, the n-th further one `:<n>`;
 * produced events are recorded as done (Kafka cannot deduplicate them for us) and carry a
 * `ce_id` derived from `<key>:p<n>`. Running the same actions again is therefore safe. When
 * every action succeeded, the event's own key is recorded as done.
 *
 * A produced event's mark is written before the next action starts; the last one's goes in
 * the same write as the event's own mark (one round trip fewer per event, same order).
 *
 * Its collaborators are narrow interfaces, so the testing kit drives this very class with a
 * recording publisher instead of a second copy of its rules.
 *
 * @example
 * ```ts
 * const executor = new ActionExecutor({ http: { baseUrl, timeoutMs: 10_000 }, publish, completed, xref });
 * await executor.execute(actions, event.metadata, `crm-order-to-erp:${event.metadata.id}`);
 * ```
 */
export class ActionExecutor {
  constructor(private readonly options: ActionExecutorOptions) {}

  /**
   * Performs `actions`, then marks `idempotencyKey` done; `onCall` sees every HTTP answer (the
   * testing kit records them); `firstProduceDone`, when read ahead for a whole batch, says whether
   * the first produced event's mark was there (undefined: ask the store). Rejects with the
   * classified failure of the first action that fails (and marks nothing more).
   */
  async execute(actions: readonly Action[], cause: EventMetadata, idempotencyKey: string, onCall?: (call: ExecutedCall) => void, firstProduceDone?: boolean): Promise<void> {
    const { completed } = this.options;
    const queue = [...actions];
    let calls = 0;
    let produced = 0;
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
          await this.options.publish(action, cause, derivedEventId(key));
          unmarked = key;
          break;
        }
        case 'xref.put':
          await this.options.xref.put(action.objectKind, action.ids);
          break;
        default:
          throw new MappingError(`unknown action ${JSON.stringify((action as { kind?: unknown }).kind)}`);
      }
    }
    // Both marks join one write (CompletedKeys groups concurrent marks), the produced event's first.
    await (unmarked === undefined ? completed.add(idempotencyKey) : Promise.all([completed.add(unmarked), completed.add(idempotencyKey)]));
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
