import type { BusProducer } from '../bus/bus-producer.js';
import { causedBy, toEventHeaders, type EventMetadata } from '../bus/event-headers.js';
import type { AvroCodec } from '../schema/codec/avro-codec.js';
import type { CompletedKeys } from '../state/completed-keys.js';
import type { Action, XrefIds, XrefKind } from '../sdk/types.js';
import { eventSchema } from '../../schemas/schema-catalog.js';
import { callTarget } from './http-caller.js';
import { isSwitchboardError } from '../errors/index.js';
import { MappingBugError, MappingError, isProgrammingError } from './errors.js';
import { derivedEventId } from './event-id.js';

/** Where HTTP actions go; undefined for a topic-to-topic connector. */
export interface HttpDestination {
  readonly baseUrl: string;
  readonly timeoutMs: number;
}

export interface ActionExecutorOptions {
  readonly producer: BusProducer;
  readonly codec: AvroCodec;
  readonly completed: CompletedKeys;
  readonly xref: { put(kind: XrefKind, ids: XrefIds): Promise<void> };
  /** Prefix of produced topics and subjects (tests). */
  readonly topicPrefix: string;
  readonly http: HttpDestination | undefined;
}

/**
 * Performs the actions a mapping returned for one event, in order; `onResponse` follow-ups of an
 * HTTP action run right after it. Every effect carries an idempotency key derived from
 * `<connector>:<ce_id>`: the first HTTP call gets it as is, the n-th further one `:<n>`;
 * produced events are recorded as done in Redis (Kafka cannot deduplicate them for us) and
 * carry a `ce_id` derived from the same key. Running the same actions again is therefore safe.
 */
export class ActionExecutor {
  constructor(private readonly options: ActionExecutorOptions) {}

  async execute(actions: readonly Action[], cause: EventMetadata, idempotencyKey: string): Promise<void> {
    const queue = [...actions];
    let calls = 0;
    let produced = 0;
    while (queue.length > 0) {
      const action = queue.shift() as Action;
      switch (action.kind) {
        case 'http': {
          const destination = this.options.http;
          if (!destination) throw new MappingError('an HTTP action was returned by a connector whose target is a topic');
          const key = calls === 0 ? idempotencyKey : `${idempotencyKey}:${calls}`;
          calls++;
          const response = await callTarget({ ...destination, action, idempotencyKey: key, cause });
          if (action.onResponse) queue.unshift(...runFollowUp(() => action.onResponse?.(response) ?? []));
          break;
        }
        case 'produce': {
          const key = `${idempotencyKey}:p${produced}`;
          produced++;
          if (await this.options.completed.has(key)) break;
          await this.produce(action.eventType, action.key, action.value, cause, derivedEventId(key));
          await this.options.completed.add(key);
          break;
        }
        case 'xref.put':
          await this.options.xref.put(action.objectKind, action.ids);
          break;
        default:
          throw new MappingError(`unknown action ${JSON.stringify((action as { kind?: unknown }).kind)}`);
      }
    }
  }

  private async produce(fullName: string, key: string, value: unknown, cause: EventMetadata, id: string): Promise<void> {
    let schema;
    try {
      schema = eventSchema(fullName);
    } catch {
      throw new MappingError(`produce: ${fullName} is not an event type of schemas/`);
    }
    const prefix = this.options.topicPrefix;
    const bytes = await this.options.codec.encode(schema.subject(prefix), value);
    const metadata = causedBy(cause, { id, source: schema.topic.system, type: schema.ceType, time: new Date().toISOString() });
    await this.options.producer.send({ topic: schema.topicName(prefix), key, value: bytes, headers: toEventHeaders(metadata) });
  }
}

/** Runs a mapping's `onResponse` callback: its programming errors are bugs, not target failures. */
function runFollowUp(build: () => readonly Action[]): readonly Action[] {
  try {
    return build();
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
