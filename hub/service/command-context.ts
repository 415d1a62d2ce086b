import type { EventFullName, EventTypeMap } from '../../catalogue/index.js';
import type { OutboxWriter } from './outbox.js';

/** What a request says about where it comes from (all optional headers). */
export interface CommandOrigin {
  /** `X-Correlation-Id`: the business flow the caller acts in. */
  readonly correlationId: string | null;
  /** `X-Causation-Id`: the ce_id of the event that made a connector send this command. */
  readonly causationId: string | null;
  /** W3C `traceparent`. */
  readonly traceparent: string | null;
}

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
   * catalogue.
   *
   * @example
   * ```ts
   * command.publish('switchboard.erp.SalesOrderConfirmed', confirmed);
   * ```
   */
  publish<K extends EventFullName>(type: K, value: EventTypeMap[K]): { seq: number; eventId: string } {
    return this.outbox.publish(type, value, {
      correlationId: this.correlationId,
      causationId: this.origin.causationId,
      traceparent: this.origin.traceparent,
      occurredAt: this.now,
    });
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
