import { randomUUID } from 'node:crypto';
import { childTraceparent } from '../../hub/bus/index.js';
import type {
  Action, ConnectorDefinition, ConnectorEvent, EventFullName, EventMetadata, EventTypeMap, HttpAction, HttpResponse, MappingContext,
  SystemName, XrefIds, XrefKind, XrefReader,
} from '../../hub/sdk/index.js';
import { allEventTypes, topicName } from '../../catalogue/index.js';

/**
 * Test support for connectors, without Kafka: build typed events, give mappings a
 * cross-reference store, and perform a mapping's actions against a real target the way the
 * connector runtime does (hub/runtime/action-executor.ts and http-caller.ts): JSON body,
 * `Idempotency-Key: <connector>:<ce_id>` (`:<n>` for the n-th further call of one event),
 * `X-Correlation-Id`, `X-Causation-Id` (the event's ce_id), `traceparent`, and `onResponse`
 * follow-ups run right after their call. Used by connector unit tests (events, context) and
 * integration tests (performing against a service started in-process).
 */

/** Which field of an event value is its Kafka key, per topic (the catalogue describes keys in words). */
const KEY_FIELD: Readonly<Record<string, string>> = Object.freeze({
  'crm.customer.v1': 'customerId',
  'crm.order.v1': 'orderId',
  'erp.customer-account.v1': 'crmCustomerId',
  'erp.sales-order.v1': 'crmOrderId',
  'erp.invoice.v1': 'crmOrderId',
  'erp.product.v1': 'sku',
  'erp.purchase-order.v1': 'purchaseOrderNumber',
  'scm.stock.v1': 'sku',
  'scm.shipment.v1': 'crmOrderId',
});

/** The Kafka key an event of this type and value is published with. */
export function eventKey<K extends EventFullName>(type: K, value: EventTypeMap[K]): string {
  const entry = allEventTypes().find((candidate) => candidate.fullName === type);
  if (!entry) throw new Error(`unknown event type ${type}`);
  const field = KEY_FIELD[topicName(entry.topic)];
  const key = field === undefined ? undefined : (value as unknown as Record<string, unknown>)[field];
  if (typeof key !== 'string') throw new Error(`cannot derive the key of ${type}`);
  return key;
}

/**
 * A typed event as the runtime hands it to a mapping, with fresh CloudEvents metadata.
 *
 * @example
 * ```ts
 * const event = testEvent('switchboard.crm.CustomerCreated', { ...EXAMPLE_EVENTS['switchboard.crm.CustomerCreated'], name: 'Acme' });
 * ```
 */
export function testEvent<K extends EventFullName>(type: K, value: EventTypeMap[K], metadata: Partial<EventMetadata> = {}): ConnectorEvent<K> {
  const key = eventKey(type, value);
  const entry = allEventTypes().find((candidate) => candidate.fullName === type);
  const event = {
    type,
    value,
    key,
    metadata: {
      id: randomUUID(),
      source: entry?.topic.system ?? 'test',
      type: entry?.ceType ?? type,
      time: new Date().toISOString(),
      correlationId: key,
      ...metadata,
    },
  };
  // ConnectorEvent<K> is a union distributed over K; for one concrete K this object is it.
  return event as unknown as ConnectorEvent<K>;
}

/**
 * Cross-references in memory, with the runtime's semantics: a put links ids of one object,
 * a get answers `undefined` until linked, and a lookup may go through the third system.
 */
export class MemoryXref implements XrefReader {
  private readonly links: { kind: XrefKind; ids: XrefIds }[] = [];

  put(kind: XrefKind, ids: XrefIds): void {
    this.links.push({ kind, ids: { ...ids } });
  }

  async get(kind: XrefKind, from: SystemName, id: string, to: SystemName): Promise<string | undefined> {
    const direct = this.links.find((link) => link.kind === kind && link.ids[from] === id && link.ids[to]);
    if (direct) return direct.ids[to];
    // Through the third system, as hub/state/xref.ts does (e.g. ERP -> CRM -> SCM).
    const third = (['crm', 'erp', 'scm'] as const).find((system) => system !== from && system !== to) as SystemName;
    const via = this.links.find((link) => link.kind === kind && link.ids[from] === id && link.ids[third])?.ids[third];
    if (!via) return undefined;
    return this.links.find((link) => link.kind === kind && link.ids[third] === via && link.ids[to])?.ids[to];
  }
}

/** The context a mapping gets, backed by a {@link MemoryXref}. */
export function mappingContext(connector: string, xref: XrefReader = new MemoryXref(), attempt = 1): MappingContext {
  return { connector, attempt, xref };
}

/**
 * The one HTTP action of a mapping's result; the test fails unless there is exactly one action.
 *
 * @example
 * ```ts
 * const action = onlyHttp(await connector.map(testEvent('switchboard.crm.CustomerCreated', created), ctx));
 * expect(action).toMatchObject({ method: 'PUT', path: '/accounts/C-1017' });
 * ```
 */
export function onlyHttp(actions: readonly Action[]): HttpAction {
  expect(actions).toHaveLength(1);
  return actions[0] as HttpAction;
}

/** One HTTP call performed, with the target's answer. */
export interface PerformedCall {
  readonly method: string;
  readonly path: string;
  readonly idempotencyKey: string;
  readonly body: unknown;
  readonly status: number;
  readonly responseBody: unknown;
  /** The target answered from its idempotency store (`Idempotent-Replayed: true`). */
  readonly replayed: boolean;
}

/** What performing one event's actions did. */
export interface Performance {
  readonly actions: readonly Action[];
  readonly calls: readonly PerformedCall[];
  readonly xrefPuts: readonly { kind: XrefKind; ids: XrefIds }[];
  /** Produce actions are recorded, not published (no Kafka here). */
  readonly produced: readonly { eventType: string; key: string; value: unknown }[];
}

/** The target refused a call (a status the runtime would retry or dead-letter). */
export class TargetCallError extends Error {
  constructor(readonly call: PerformedCall) {
    super(`${call.method} ${call.path} answered ${call.status}: ${JSON.stringify(call.responseBody)}`);
    this.name = 'TargetCallError';
  }
}

/**
 * Maps `event` with `definition` and performs its actions against `baseUrl` as the runtime
 * would. Cross-reference puts go to `xref`. Throws what the mapping throws, or
 * TargetCallError for a non-2xx answer not listed in the action's `okStatuses`.
 *
 * @example
 * ```ts
 * const run = await performEvent(connector, event, { baseUrl: erpUrl, xref });
 * expect(run.calls[0]?.status).toBe(201);
 * ```
 */
export async function performEvent(
  definition: ConnectorDefinition,
  event: ConnectorEvent,
  options: { baseUrl: string; xref?: MemoryXref; attempt?: number },
): Promise<Performance> {
  const xref = options.xref ?? new MemoryXref();
  const actions = await definition.map(event, mappingContext(definition.name, xref, options.attempt ?? 1));
  const calls: PerformedCall[] = [];
  const xrefPuts: { kind: XrefKind; ids: XrefIds }[] = [];
  const produced: { eventType: string; key: string; value: unknown }[] = [];
  const baseKey = `${definition.name}:${event.metadata.id}`;
  const queue = [...actions];
  while (queue.length > 0) {
    const action = queue.shift() as Action;
    if (action.kind === 'xref.put') {
      xref.put(action.objectKind, action.ids);
      xrefPuts.push({ kind: action.objectKind, ids: action.ids });
    } else if (action.kind === 'produce') {
      produced.push({ eventType: action.eventType, key: action.key, value: action.value });
    } else {
      const idempotencyKey = calls.length === 0 ? baseKey : `${baseKey}:${calls.length}`;
      const headers: Record<string, string> = {
        accept: 'application/json',
        'idempotency-key': idempotencyKey,
        'x-correlation-id': event.metadata.correlationId,
        'x-causation-id': event.metadata.id,
        traceparent: childTraceparent(event.metadata.traceparent),
      };
      if (action.body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${options.baseUrl}${action.path}`, {
        method: action.method,
        headers,
        body: action.body === undefined ? undefined : JSON.stringify(action.body),
      });
      const text = await response.text();
      const call: PerformedCall = {
        method: action.method, path: action.path, idempotencyKey, body: action.body, status: response.status,
        responseBody: text === '' ? undefined : (JSON.parse(text) as unknown),
        replayed: response.headers.get('idempotent-replayed') === 'true',
      };
      calls.push(call);
      const ok = (call.status >= 200 && call.status < 300) || (action.okStatuses ?? []).includes(call.status);
      if (!ok) throw new TargetCallError(call);
      const answer: HttpResponse = { status: call.status, body: call.responseBody };
      if (action.onResponse) queue.unshift(...action.onResponse(answer));
    }
  }
  return { actions, calls, xrefPuts, produced };
}

/** A small JSON GET against a target, for asserting state. */
export async function getJson(baseUrl: string, path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${baseUrl}${path}`, { headers: { accept: 'application/json' } });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

/** A small JSON POST/PUT/PATCH against a target, for seeding it the way a person would. */
export async function sendJson(baseUrl: string, method: 'POST' | 'PUT' | 'PATCH', path: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${baseUrl}${path}`, { method, headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}
