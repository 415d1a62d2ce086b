import { randomUUID } from 'node:crypto';
import { CDC_TABLES, cdcRecordFullName, cdcTopicName, eventEntry, keyOf, type CdcEventName, type EventFullName, type EventTypeMap } from '../../catalogue/index.js';
import type { Action, CdcChange, ConnectorEvent, EventMetadata, HttpAction } from '../../hub/sdk/index.js';

/**
 * A typed event as the runtime hands it to a mapping: its key read from the catalogue's key
 * field, fresh CloudEvents metadata (correlated to the key) unless `metadata` says otherwise.
 *
 * @example
 * ```ts
 * const event = testEvent('switchboard.crm.CustomerCreated', { ...EXAMPLE_EVENTS['switchboard.crm.CustomerCreated'], name: 'Acme' });
 * const actions = await connector.map(event, mappingContext());
 * ```
 */
export function testEvent<K extends EventFullName>(type: K, value: EventTypeMap[K], metadata: Partial<EventMetadata> = {}): ConnectorEvent<K> {
  const entry = eventEntry(type);
  const key = keyOf(type, value);
  const event = {
    type,
    value,
    key,
    metadata: { id: randomUUID(), source: entry.system, type: entry.ceType, time: new Date().toISOString(), correlationId: key, ...metadata },
  };
  // ConnectorEvent<K> is a union distributed over K; for one concrete K this object is it.
  return event as unknown as ConnectorEvent<K>;
}

/**
 * A change event of a captured table as the runtime hands it to a mapping (as `switchboard cdc`
 * publishes it): keyed by the primary key `key` (a JSON array for a composite key).
 *
 * @example
 * ```ts
 * const event = testChange('switchboard.cdc.legacy_warehouse.public.stock_levels', '["SKU-1","WH-1"]', { op: 'update', before, after, lsn: '0/1', committedAt: Date.now(), txId: 7 });
 * ```
 */
export function testChange(type: CdcEventName, key: string, value: CdcChange, metadata: Partial<EventMetadata> = {}): ConnectorEvent<CdcEventName> {
  const spec = CDC_TABLES.find((table) => cdcRecordFullName(table) === type);
  if (!spec) throw new Error(`${type} is no CDC table of the catalogue`);
  return {
    type,
    key,
    value,
    metadata: { id: randomUUID(), source: spec.source, type: `${cdcTopicName(spec)}.${value.op}`, time: new Date(value.committedAt).toISOString(), correlationId: key, ...metadata },
  };
}

/**
 * The one HTTP action of a mapping's result; the test fails unless there is exactly one action.
 *
 * @example
 * ```ts
 * const action = onlyHttp(await connector.map(testEvent('switchboard.crm.CustomerCreated', created), mappingContext()));
 * expect(action).toMatchObject({ method: 'PUT', path: '/accounts/C-1017' });
 * ```
 */
export function onlyHttp(actions: readonly Action[]): HttpAction {
  expect(actions).toHaveLength(1);
  return actions[0] as HttpAction;
}
