/**
 * The catalogue: the one place that says which systems exist, where their APIs listen, which
 * topic each aggregate is published on, which field is its record key, and which event types
 * exist with their value types. Connectors, services, tests and the platform read these facts
 * here and nowhere else.
 *
 * Sources: `topics/catalogue.ts` (systems and topics, written by hand) and `schemas/**.avsc`
 * (events). `switchboard schemas codegen` generates `catalogue/generated/` from them; a unit
 * test fails when the generated files are stale.
 *
 * @example
 * ```ts
 * import { keyOf, eventEntry, systemSpec } from '../../catalogue/index.js';
 * keyOf('switchboard.crm.OrderPlaced', order);          // order.orderId
 * eventEntry('switchboard.crm.OrderPlaced').topic;      // 'crm.order.v1'
 * systemSpec('erp').defaultPort;                         // 3002
 * ```
 */
import { EVENT_TYPES, type EventTypeEntry } from './generated/event-catalogue.js';
import type { EventFullName, EventTypeMap } from './generated/events.js';
import { SYSTEMS, type SystemName } from '../topics/catalogue.js';

export * from './generated/events.js';
export { EVENT_TYPES, type EventTypeEntry, type StringField } from './generated/event-catalogue.js';
export {
  SYSTEMS, SYSTEM_NAMES, DOMAIN_TOPICS, INTERNAL_TOPICS, topicSpec, topicName, recordFullName, cloudEventType, subjectName, allEventTypes,
  CDC_TABLES, CDC_RECORD_PREFIX, cdcTopicName, cdcRecordFullName, isCdcEventName, catalogueTopics,
  type SystemName, type TopicSpec, type EventTypeEntry as TopicEventType, type CdcTableSpec, type CdcEventName, type CatalogueTopic,
} from '../topics/catalogue.js';

/** One system of the catalogue. */
export type SystemSpec = (typeof SYSTEMS)[number];

/** Every event full name, in topic catalogue order. */
export const EVENT_NAMES: readonly EventFullName[] = Object.freeze(Object.keys(EVENT_TYPES) as EventFullName[]);

/** True when `name` is an event type of the catalogue. */
export function isEventFullName(name: string): name is EventFullName {
  return Object.prototype.hasOwnProperty.call(EVENT_TYPES, name);
}

/**
 * The catalogue entry of an event type: its system, aggregate, topic, key field and CloudEvents type.
 *
 * @example
 * ```ts
 * eventEntry('switchboard.scm.StockMoved').keyField; // 'sku'
 * ```
 */
export function eventEntry<K extends EventFullName>(fullName: K): EventTypeEntry<K> {
  return EVENT_TYPES[fullName] as unknown as EventTypeEntry<K>;
}

/**
 * The record key of an event: the value of its topic's key field (the aggregate id).
 *
 * @example
 * ```ts
 * keyOf('switchboard.erp.SalesOrderConfirmed', confirmed); // confirmed.crmOrderId
 * ```
 */
export function keyOf<K extends EventFullName>(fullName: K, value: EventTypeMap[K]): string {
  const field = eventEntry(fullName).keyField;
  return (value as unknown as Record<string, string>)[field];
}

/**
 * A system of the catalogue, with its default port and the environment variables that move it.
 *
 * @example
 * ```ts
 * systemSpec('crm').defaultPort; // 3001
 * ```
 */
export function systemSpec(name: SystemName): SystemSpec {
  return SYSTEMS.find((system) => system.name === name) as SystemSpec;
}

/** True when `name` is one of the catalogue's systems. */
export function isSystemName(name: string): name is SystemName {
  return SYSTEMS.some((system) => system.name === name);
}

/**
 * The environment variables of a system's API: where it listens (`<NAME>_PORT`, `<NAME>_HOST`),
 * where it keeps its database (`<NAME>_DB_PATH`) and where others reach it (`<NAME>_URL`).
 */
export function systemVariables(name: SystemName): { port: string; host: string; dbPath: string; url: string } {
  const upper = name.toUpperCase();
  return { port: `${upper}_PORT`, host: `${upper}_HOST`, dbPath: `${upper}_DB_PATH`, url: `${upper}_URL` };
}

/** The URL of a system's API on this machine when nothing else is configured, e.g. `http://127.0.0.1:3001`. */
export function defaultSystemUrl(name: SystemName, port: number = systemSpec(name).defaultPort): string {
  return `http://127.0.0.1:${port}`;
}
