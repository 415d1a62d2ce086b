import { eventEntry, isEventFullName, keyOf, type EventFullName, type EventTypeMap } from '../../catalogue/index.js';
import { loadTopicPrefix } from '../config/topic-prefix.js';
import { failSpan, setEventId, startCreateSpan } from '../telemetry/index.js';
import type { OutboxWriter } from './outbox.js';

/** What a request says about where it comes from (all optional headers). */
export interface CommandOrigin {
  /** `X-Correlation-Id`: the business flow the caller acts in. */
  readonly correlationId: string | null;
  /** `X-Causation-Id`: the ce_id of the event that made a connector send this command. */
  readonly causationId: string | null;
  /** W3C trace context of the request (its SERVER span): the parent of each event's `create` span. */
  readonly traceparent: string | null;
}

/** The deployment's topic prefix, for span attributes; read once (the relay reads the same variable). */
let topicPrefix: string | undefined;

/**
 * One state-changing command: where it comes from, and the one way its events are written. The
 * causation id and trace context of the request travel into every event it publishes, so no
 * domain code copies them. An event's correlation id is the request's when it named one, else
 * the flow chosen with `correlatedTo` / `withinFlow`, else the event's own key.
 *
 * @example
 * ```ts
 * runCommand(store, request, reply, (command) => {
 *   const order = orders.place(request.body, command); // inside: command.publish('switchboard.crm.OrderPlaced', placed)
 *   return { statusCode: 201, body: order };
 * });
 * ```
 */
export class CommandContext {
  /** Epoch millis when the command started; the default time of what it records. */
  readonly now: number;

  constructor(
    private readonly outbox: OutboxWriter,
    readonly origin: CommandOrigin,
    private readonly flow: { readonly id: string; readonly forced: boolean } | undefined = undefined,
    now = Date.now(),
  ) {
    this.now = now;
  }

  /** The correlation id events of this command get when they do not fall back to their key. */
  get correlationId(): string | null {
    if (this.flow?.forced) return this.flow.id;
    return this.origin.correlationId ?? this.flow?.id ?? null;
  }

  /**
   * Records one event in the outbox, in the command's transaction; topic and key come from the
   * catalogue. A `create <topic>` span, child of the request's trace context, covers the write;
   * its `traceparent` is what the row stores, so the relay, Kafka and every consumer continue
   * this trace. (A transaction rolled back afterwards leaves that span without an event.)
   *
   * @example
   * ```ts
   * command.publish('switchboard.erp.SalesOrderConfirmed', confirmed);
   * ```
   */
  publish<K extends EventFullName>(type: K, value: EventTypeMap[K]): { seq: number; eventId: string } {
    topicPrefix ??= loadTopicPrefix();
    // An unknown type gets its span too; the outbox refuses it below with its own message.
    const entry = isEventFullName(type) ? eventEntry(type) : undefined;
    const message = entry ? { topic: `${topicPrefix}${entry.topic}`, key: keyOf(type, value), eventType: entry.ceType } : { topic: String(type) };
    const create = startCreateSpan(message, this.origin.traceparent);
    try {
      const written = this.outbox.publish(type, value, {
        correlationId: this.correlationId,
        causationId: this.origin.causationId,
        traceparent: create.traceparent,
        occurredAt: this.now,
      });
      setEventId(create, written.eventId);
      return written;
    } catch (error) {
      failSpan(create.span, 'outbox write failed');
      throw error;
    } finally {
      create.span.end();
    }
  }

  /**
   * The same command, whose events belong to the flow `flowId` unless the request named its own
   * (e.g. stock moved for an order belongs to that order's flow, not to the SKU).
   */
  correlatedTo(flowId: string): CommandContext {
    return new CommandContext(this.outbox, this.origin, { id: flowId, forced: false }, this.now);
  }

  /** The same command, whose events belong to the flow `flowId` whatever the request said (work done on behalf of another flow). */
  withinFlow(flowId: string): CommandContext {
    return new CommandContext(this.outbox, this.origin, { id: flowId, forced: true }, this.now);
  }
}
