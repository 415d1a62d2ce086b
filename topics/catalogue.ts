/**
 * The topic catalogue: every topic Switchboard's systems publish to, with its key, partitions,
 * cleanup policy, retention, owner system and event types. Topic names and subjects come
 * from here only; nothing else in the tree spells them out.
 */

/**
 * The systems Switchboard connects, each with the port its HTTP API listens on by default.
 * Every other list of systems in the tree is derived from this one.
 */
export const SYSTEMS = Object.freeze([
  { name: 'crm', title: 'CRM', description: 'customers and orders, as sales reps see them', defaultPort: 3001 },
  { name: 'erp', title: 'ERP', description: 'accounts, credit, sales orders, products, invoices and purchasing', defaultPort: 3002 },
  { name: 'scm', title: 'SCM', description: 'warehouses, stock, fulfilment and shipments', defaultPort: 3003 },
] as const);

/** The name of a system: `crm`, `erp` or `scm`. */
export type SystemName = (typeof SYSTEMS)[number]['name'];

/** Every system name, in catalogue order. */
export const SYSTEM_NAMES: readonly SystemName[] = Object.freeze(SYSTEMS.map((system) => system.name));

/** One domain topic: `<system>.<aggregate>.v<major>`. */
export interface TopicSpec {
  /** Owner system; only it publishes to the topic. */
  readonly system: SystemName;
  /** The aggregate whose events share the topic, e.g. `customer`, `sales-order`. */
  readonly aggregate: string;
  /** Major version; a breaking schema change means a new major topic. */
  readonly major: number;
  /**
   * The field of every event value on the topic that is the record key: the aggregate id, so one
   * aggregate's events stay in order. `switchboard schemas codegen` checks each event type has it
   * as a string field.
   */
  readonly keyField: string;
  /** What the key is, in words, for the docs and the console, e.g. `CRM order id`. */
  readonly keyDescription: string;
  readonly partitions: number;
  readonly cleanupPolicy: 'delete' | 'compact';
  /** `retention.ms`; -1 keeps forever. */
  readonly retentionMs: number;
  /** Event type names (Avro record names in namespace `switchboard.<system>`). */
  readonly eventTypes: readonly string[];
  /** One line for the docs and the console. */
  readonly description: string;
  /**
   * True when producers Switchboard did not write may publish records with no CloudEvents
   * headers at all: the runtime then takes the event type from the writer schema's record
   * name and derives the event id from topic, partition and offset
   * (docs/foreign-producers.md). Default false: such a record is dead-lettered.
   */
  readonly acceptsRecordsWithoutHeaders?: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export const DOMAIN_TOPICS: readonly TopicSpec[] = Object.freeze([
  {
    system: 'crm', aggregate: 'customer', major: 1, keyField: 'customerId', keyDescription: 'CRM customer id', partitions: 6, cleanupPolicy: 'delete', retentionMs: 30 * DAY_MS,
    eventTypes: ['CustomerCreated', 'CustomerUpdated', 'CustomerDeactivated'],
    description: 'Customers created, changed or deactivated in the CRM',
  },
  {
    system: 'crm', aggregate: 'order', major: 1, keyField: 'orderId', keyDescription: 'CRM order id', partitions: 6, cleanupPolicy: 'delete', retentionMs: 30 * DAY_MS,
    eventTypes: ['OrderPlaced', 'OrderCancelled'],
    description: 'Orders placed or cancelled by sales reps in the CRM',
  },
  {
    system: 'erp', aggregate: 'customer-account', major: 1, keyField: 'crmCustomerId', keyDescription: 'CRM customer id', partitions: 6, cleanupPolicy: 'delete', retentionMs: 30 * DAY_MS,
    eventTypes: ['CustomerAccountOpened', 'CreditStatusChanged'],
    description: 'ERP debtor accounts: opened for a CRM customer, credit status and balance changes',
  },
  {
    system: 'erp', aggregate: 'sales-order', major: 1, keyField: 'crmOrderId', keyDescription: 'CRM order id', partitions: 6, cleanupPolicy: 'delete', retentionMs: 30 * DAY_MS,
    eventTypes: ['SalesOrderConfirmed', 'SalesOrderRejected', 'SalesOrderCancelled'],
    description: 'ERP sales orders: confirmed after the credit check, rejected with a reason, or cancelled',
  },
  {
    system: 'erp', aggregate: 'invoice', major: 1, keyField: 'crmOrderId', keyDescription: 'CRM order id', partitions: 6, cleanupPolicy: 'delete', retentionMs: 90 * DAY_MS,
    eventTypes: ['InvoiceIssued', 'PaymentReceived'],
    description: 'Invoices issued on dispatch and payments received against them',
  },
  {
    system: 'erp', aggregate: 'product', major: 1, keyField: 'sku', keyDescription: 'SKU', partitions: 3, cleanupPolicy: 'delete', retentionMs: -1,
    eventTypes: ['ProductCreated', 'PriceChanged'],
    description: 'The product master and its prices, owned by the ERP',
    // Product data also comes from product information systems that publish plain Avro records.
    acceptsRecordsWithoutHeaders: true,
  },
  {
    system: 'erp', aggregate: 'purchase-order', major: 1, keyField: 'purchaseOrderNumber', keyDescription: 'purchase order number', partitions: 3, cleanupPolicy: 'delete', retentionMs: 30 * DAY_MS,
    eventTypes: ['PurchaseOrderPlaced'],
    description: 'Purchase orders the ERP raises with suppliers',
  },
  {
    system: 'scm', aggregate: 'stock', major: 1, keyField: 'sku', keyDescription: 'SKU', partitions: 6, cleanupPolicy: 'delete', retentionMs: 30 * DAY_MS,
    eventTypes: ['StockMoved', 'StockShortage', 'ReorderPointReached'],
    description: 'Stock movements (receipt, reservation, issue), shortages and reorder points per SKU',
  },
  {
    system: 'scm', aggregate: 'shipment', major: 1, keyField: 'crmOrderId', keyDescription: 'CRM order id', partitions: 6, cleanupPolicy: 'delete', retentionMs: 30 * DAY_MS,
    eventTypes: ['ShipmentCreated', 'ShipmentDispatched', 'ShipmentDelivered'],
    description: 'Fulfilments and shipments: created for a confirmed order, dispatched with carrier and tracking, delivered',
  },
] satisfies TopicSpec[]);

/** `crm.customer.v1`, optionally behind a prefix that isolates a test run (`t123.crm.customer.v1`). */
export function topicName(spec: Pick<TopicSpec, 'system' | 'aggregate' | 'major'>, prefix = ''): string {
  return `${prefix}${spec.system}.${spec.aggregate}.v${spec.major}`;
}

/** The Avro record full name of an event type: `switchboard.crm.CustomerCreated`. */
export function recordFullName(system: SystemName, eventType: string): string {
  return `switchboard.${system}.${eventType}`;
}

/** The CloudEvents `ce_type`: `crm.customer.CustomerCreated`. */
export function cloudEventType(spec: Pick<TopicSpec, 'system' | 'aggregate'>, eventType: string): string {
  return `${spec.system}.${spec.aggregate}.${eventType}`;
}

/** TopicRecordNameStrategy subject: `<topic>-<record full name>`. */
export function subjectName(topic: string, fullName: string): string {
  return `${topic}-${fullName}`;
}

/** One event type with everything derived from the catalogue. */
export interface EventTypeEntry {
  readonly topic: TopicSpec;
  readonly eventType: string;
  readonly fullName: string;
  readonly ceType: string;
}

/** Every event type of every domain topic. */
export function allEventTypes(): EventTypeEntry[] {
  return DOMAIN_TOPICS.flatMap((topic) =>
    topic.eventTypes.map((eventType) => ({
      topic,
      eventType,
      fullName: recordFullName(topic.system, eventType),
      ceType: cloudEventType(topic, eventType),
    })),
  );
}

/** Finds a topic by system and aggregate; throws when the catalogue has none (a programming error). */
export function topicSpec(system: SystemName, aggregate: string): TopicSpec {
  const spec = DOMAIN_TOPICS.find((t) => t.system === system && t.aggregate === aggregate);
  if (!spec) throw new Error(`topic catalogue has no ${system}.${aggregate}`);
  return spec;
}

/**
 * One table of an existing PostgreSQL database whose row changes `switchboard cdc` publishes
 * (hub/adapters/cdc, docs/adapters.md). Its topic is `cdc.<source>.<schema>.<table>`, its
 * events' record full name `switchboard.cdc.<source with _>.<schema>.<table>`; their Avro schema
 * is derived from the table's columns when the CDC process reads them, not written by hand.
 */
export interface CdcTableSpec {
  /** The captured database as Switchboard names it (`CDC_SOURCE`): lower-case words joined by dashes, e.g. `legacy-warehouse`. */
  readonly source: string;
  /** PostgreSQL schema of the table, e.g. `public`. */
  readonly schema: string;
  /** Table name (an identifier of lower-case letters, digits and `_`); the table needs a primary key. */
  readonly table: string;
  /** What the record key (the primary key) is, in words, e.g. `SKU and warehouse id`. */
  readonly keyDescription: string;
  readonly partitions: number;
  /** `retention.ms`; -1 keeps forever. */
  readonly retentionMs: number;
  /** One line for the docs and the console. */
  readonly description: string;
}

/** The tables captured by change-data capture. */
export const CDC_TABLES: readonly CdcTableSpec[] = Object.freeze([
  {
    source: 'legacy-warehouse', schema: 'public', table: 'stock_levels', keyDescription: 'SKU and warehouse id', partitions: 3, retentionMs: 30 * DAY_MS,
    description: 'Stock levels per SKU and warehouse in the legacy warehouse database, one event per row change (worked example, docs/adapters.md)',
  },
] satisfies CdcTableSpec[]);

/** What CDC record full names start with. */
export const CDC_RECORD_PREFIX = 'switchboard.cdc.';

/** The record full name of a CDC table's change events, e.g. `switchboard.cdc.legacy_warehouse.public.stock_levels`. */
export type CdcEventName = `switchboard.cdc.${string}`;

/** `cdc.legacy-warehouse.public.stock_levels`, optionally behind a prefix. */
export function cdcTopicName(spec: Pick<CdcTableSpec, 'source' | 'schema' | 'table'>, prefix = ''): string {
  return `${prefix}cdc.${spec.source}.${spec.schema}.${spec.table}`;
}

/** `switchboard.cdc.legacy_warehouse.public.stock_levels`: Avro names allow no dashes. */
export function cdcRecordFullName(spec: Pick<CdcTableSpec, 'source' | 'schema' | 'table'>): CdcEventName {
  return `${CDC_RECORD_PREFIX}${spec.source.replace(/-/g, '_')}.${spec.schema}.${spec.table}`;
}

/** True when `name` is the record full name of a CDC table of the catalogue. */
export function isCdcEventName(name: string): name is CdcEventName {
  return name.startsWith(CDC_RECORD_PREFIX) && CDC_TABLES.some((spec) => cdcRecordFullName(spec) === name);
}

/**
 * A topic of the catalogue as provisioning and connectors see it, whatever feeds it: a domain
 * topic (its system's outbox) or a CDC table's topic (`switchboard cdc`).
 */
export interface CatalogueTopic {
  /** The topic name without a prefix. */
  readonly name: string;
  readonly partitions: number;
  readonly cleanupPolicy: 'delete' | 'compact';
  readonly retentionMs: number;
  /** Record full names published on it. */
  readonly eventTypes: readonly string[];
  readonly acceptsRecordsWithoutHeaders: boolean;
}

/** Every topic of the catalogue: the domain topics, then the CDC tables' topics. */
export function catalogueTopics(): CatalogueTopic[] {
  return [
    ...DOMAIN_TOPICS.map((spec) => ({
      name: topicName(spec), partitions: spec.partitions, cleanupPolicy: spec.cleanupPolicy, retentionMs: spec.retentionMs,
      eventTypes: spec.eventTypes.map((name) => recordFullName(spec.system, name)), acceptsRecordsWithoutHeaders: spec.acceptsRecordsWithoutHeaders ?? false,
    })),
    ...CDC_TABLES.map((spec) => ({
      name: cdcTopicName(spec), partitions: spec.partitions, cleanupPolicy: 'delete' as const, retentionMs: spec.retentionMs,
      eventTypes: [cdcRecordFullName(spec)], acceptsRecordsWithoutHeaders: false,
    })),
  ];
}

/** Switchboard's internal topics. */
export const INTERNAL_TOPICS = Object.freeze({
  /** The built-in schema registry's store (compacted). */
  schemas: '_schemas',
  retry: (connector: string) => `switchboard.retry.${connector}`,
  deadLetter: (connector: string) => `switchboard.dlq.${connector}`,
  /** Cross-references across the systems' ids (compacted; the durable copy of what Redis serves). */
  xref: 'switchboard.xref',
  /** Every operator action through the admin API: who, when, what, the target, the reason, the outcome. */
  audit: 'switchboard.audit',
  /** Progress of `switchboard cdc` per source: which replication slot's initial snapshot is complete (compacted). */
  cdcState: 'switchboard.cdc.state',
});
