import { MappingError, MissingDependencyError } from '../errors/index.js';
import type { EventFullName, EventTypeMap } from '../../catalogue/index.js';
import type { AnswerVerdict, HttpAction, HttpMethod, HttpResponse, Action, ProduceAction, UpsertAction, XrefIds, XrefKind, XrefPutAction } from './types.js';

/**
 * A call to the connector's target. The runtime adds `Idempotency-Key: <connector>:<ce_id>`
 * (with `:<n>` for the n-th further call of the same event), `traceparent` and
 * `correlation_id`, and classifies the answer: 2xx (or a listed `okStatuses`) applied; 5xx,
 * 408, 429, timeouts and refused connections retried; a 4xx whose body says
 * `{error: {retriable: true}}` ("not there yet") retried as a missing dependency; other 4xx
 * dead-lettered. `classify` may judge an answer first (`'retriable'`, `'final'`, or undefined for
 * the defaults); `headers` adds request headers of the connector's own.
 *
 * @example
 * ```ts
 * http({
 *   method: 'PUT', path: `/accounts/${value.customerId}`, body: { name: value.name },
 *   onResponse: (res) => [xref.put('customer', { crm: value.customerId, erp: (res.body as { accountNumber: string }).accountNumber })],
 * })
 * ```
 */
export function http(spec: {
  method: HttpMethod;
  path: string;
  headers?: Readonly<Record<string, string>>;
  body?: unknown;
  okStatuses?: readonly number[];
  classify?: (response: HttpResponse) => AnswerVerdict | Promise<AnswerVerdict>;
  onResponse?: (response: HttpResponse) => readonly Action[] | Promise<readonly Action[]>;
}): HttpAction {
  if (!spec.path.startsWith('/')) throw new MappingError(`http path must start with "/", got ${JSON.stringify(spec.path)}`);
  return Object.freeze({ kind: 'http', ...spec });
}

/**
 * An event to publish, encoded with its catalogue schema on its catalogue topic. Its headers
 * carry the consumed event's correlation id and trace, with the consumed event as cause; its
 * `ce_id` is derived from `<connector>:<ce_id>:p<n>` (the n-th produce of the event), so a
 * repeat publishes the same id.
 *
 * @example
 * ```ts
 * produce({ eventType: 'switchboard.erp.CustomerAccountOpened', key: value.customerId, value: { ... } })
 * ```
 */
export function produce<K extends EventFullName>(spec: { eventType: K; key: string; value: EventTypeMap[K] }): ProduceAction {
  return Object.freeze({ kind: 'produce', eventType: spec.eventType, key: spec.key, value: spec.value });
}

/**
 * A row for the connector's PostgreSQL target table: inserted, or updated when a row with the
 * same key exists. The runtime records the event's idempotency key in the same transaction, so
 * the same event never writes twice.
 *
 * @example
 * ```ts
 * upsert({ key: event.key, row: { status: value.status, total: value.total.amount } })
 * ```
 */
export function upsert(spec: { key: string; row: Readonly<Record<string, unknown>> }): UpsertAction {
  if (typeof spec.key !== 'string' || spec.key === '') throw new MappingError(`upsert needs a non-empty key, got ${JSON.stringify(spec.key)}`);
  if (typeof spec.row !== 'object' || spec.row === null || Array.isArray(spec.row)) throw new MappingError('upsert needs a row object of column values');
  return Object.freeze({ kind: 'upsert', key: spec.key, row: Object.freeze({ ...spec.row }) });
}

/** Records that `ids` name one business object of `kind` (durable: compacted topic, then Redis). */
function put(kind: XrefKind, ids: XrefIds): XrefPutAction {
  if (Object.values(ids).filter(Boolean).length < 2) throw new MappingError(`a ${kind} cross-reference needs ids in two systems at least`);
  return Object.freeze({ kind: 'xref.put', objectKind: kind, ids: Object.freeze({ ...ids }) });
}

/**
 * Cross-reference actions.
 *
 * @example
 * ```ts
 * return [xref.put('order', { crm: value.crmOrderId, erp: value.salesOrderNumber })];
 * ```
 */
export const xref = Object.freeze({ put });

/**
 * The error to throw when the event needs something that is not there yet (usually a
 * cross-reference). The runtime retries the event with backoff and parks it if needed;
 * it is never dropped.
 *
 * @example
 * ```ts
 * const account = await ctx.xref.get('customer', 'crm', value.customerId, 'erp');
 * if (!account) throw missingDependency(`no ERP account for CRM customer ${value.customerId} yet`);
 * ```
 */
export function missingDependency(reason: string): MissingDependencyError {
  return new MissingDependencyError(reason);
}

/**
 * The error to throw when the event cannot be mapped and never will be (it is dead-lettered).
 *
 * @example
 * ```ts
 * if (value.lines.length === 0) throw mappingError(`order ${value.orderId} has no lines`);
 * ```
 */
export function mappingError(message: string): MappingError {
  return new MappingError(message);
}
