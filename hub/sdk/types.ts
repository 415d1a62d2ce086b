import { type EventMetadata } from '../bus/index.js';
import type { CdcEventName, EventFullName, EventTypeMap } from '../../catalogue/index.js';
import type { SystemName, TopicSpec } from '../../catalogue/index.js';

export type { CdcEventName, EventFullName, EventTypeMap } from '../../catalogue/index.js';
export type { EventMetadata } from '../bus/event-headers.js';
export type { SystemName } from '../../catalogue/index.js';

/**
 * One row of a table captured by change-data capture (`switchboard cdc`): column name to value.
 * Values follow the column types (docs/adapters.md): integers, booleans and floats as numbers
 * and booleans, `bigint` as a number, `numeric` as its exact decimal text, timestamps as epoch
 * milliseconds, dates as days since 1970-01-01, JSON and anything else as text; NULL as null.
 */
export type CdcRow = Readonly<Record<string, unknown>>;

/**
 * The value of a change event of a captured table (topic `cdc.<source>.<schema>.<table>`).
 *
 * @example
 * ```ts
 * if (change.op === 'update') console.log(change.before?.on_hand, '->', change.after?.on_hand);
 * ```
 */
export interface CdcChange {
  /** `snapshot` for the rows read when capture started, then what the transaction did. */
  readonly op: 'snapshot' | 'insert' | 'update' | 'delete';
  /**
   * The row before the change: every column with `REPLICA IDENTITY FULL`, else only the
   * primary key on a delete or a key change (other columns null), and null on inserts.
   */
  readonly before: CdcRow | null;
  /** The row after the change; null on a delete. */
  readonly after: CdcRow | null;
  /** PostgreSQL LSN of the change (of the snapshot for `snapshot`), e.g. `0/16B3748`. */
  readonly lsn: string;
  /** When the transaction committed (the snapshot was taken), epoch ms. */
  readonly committedAt: number;
  /** The transaction id; null for `snapshot`. */
  readonly txId: number | null;
}

/** What a connector may read: a catalogue event type, or a captured table's change events. */
export type SourceEventName = EventFullName | CdcEventName;

/** The value type of a source event: the generated type of a catalogue event, {@link CdcChange} for a captured table. */
export type SourceValue<K extends SourceEventName> = K extends EventFullName ? EventTypeMap[K] : CdcChange;

/**
 * One event as a mapping sees it: its CloudEvents metadata, its record full name and its
 * value typed by the generated types. Narrow on `type` to get the value's type.
 *
 * @example
 * ```ts
 * if (event.type === 'switchboard.crm.CustomerCreated') console.log(event.value.email);
 * ```
 */
export type ConnectorEvent<E extends SourceEventName = SourceEventName> = {
  [K in E]: {
    readonly metadata: EventMetadata;
    /** The Avro record full name, e.g. `switchboard.crm.CustomerCreated`. */
    readonly type: K;
    readonly value: SourceValue<K>;
    /** The Kafka record key (the aggregate id). */
    readonly key: string;
  };
}[E];

/**
 * The kind of business object a cross-reference links across systems: a CRM customer is an
 * ERP account and an SCM consignee; a CRM order is an ERP sales order and an SCM fulfilment.
 */
export type XrefKind = (typeof XREF_KINDS)[number];

/** Every {@link XrefKind}, for code that checks a kind given as text (a declarative connector, the CLI). */
export const XREF_KINDS = Object.freeze(['customer', 'order', 'product', 'shipment', 'purchase-order'] as const);

/** The ids of one business object in each system that knows it. */
export type XrefIds = Partial<Record<SystemName, string>>;

/** Cross-reference lookups a mapping may do (reads only; writes are actions). */
export interface XrefReader {
  /**
   * The id in `to` of the object known as `id` in `from`, or undefined when not (yet) known.
   *
   * @example
   * ```ts
   * const account = await ctx.xref.get('customer', 'crm', event.value.customerId, 'erp');
   * if (!account) throw missingDependency(`no ERP account for CRM customer ${event.value.customerId} yet`);
   * ```
   */
  get(kind: XrefKind, from: SystemName, id: string, to: SystemName): Promise<string | undefined>;
}

/** What a mapping may look at besides the event. */
export interface MappingContext {
  /** The connector's name. */
  readonly connector: string;
  /** 1 for the first try of this event, 2 for its first retry, ... */
  readonly attempt: number;
  readonly xref: XrefReader;
}

/** HTTP methods a connector may call a target with. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What the target answered to an {@link HttpAction} (2xx, or a status listed in `okStatuses`). */
export interface HttpResponse {
  readonly status: number;
  /** The JSON body, or undefined for an empty body. */
  readonly body: unknown;
}

/**
 * A connector's own verdict on a target's answer, taken before the runtime's defaults:
 * `retriable` retries the event (then parks it), `final` dead-letters it, undefined leaves the
 * answer to the defaults.
 */
export type AnswerVerdict = 'retriable' | 'final' | undefined;

/** A call to the connector's target service. Build it with `http(...)`. */
export interface HttpAction {
  readonly kind: 'http';
  readonly method: HttpMethod;
  /** Path below the target's base URL, e.g. `/accounts/C-17`. */
  readonly path: string;
  /** Extra request headers (e.g. an API version). The runtime's own headers (Idempotency-Key, traceparent, correlation and causation ids, accept, content-type) win over these. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as JSON. */
  readonly body?: unknown;
  /** Non-2xx statuses that still mean "applied" (e.g. 409 for "already exists"). */
  readonly okStatuses?: readonly number[];
  /** Judges every answer (2xx included) before the runtime's defaults; see {@link AnswerVerdict}. */
  readonly classify?: (response: HttpResponse) => AnswerVerdict | Promise<AnswerVerdict>;
  /** Follow-up actions built from the answer (e.g. a cross-reference with the id the target assigned). Must be pure. */
  readonly onResponse?: (response: HttpResponse) => readonly Action[] | Promise<readonly Action[]>;
}

/** An event to publish. Build it with `produce(...)`. */
export interface ProduceAction {
  readonly kind: 'produce';
  readonly eventType: EventFullName;
  /** The record key: the aggregate id of the event's topic. */
  readonly key: string;
  readonly value: unknown;
}

/** A cross-reference to record. Build it with `xref.put(...)`. */
export interface XrefPutAction {
  readonly kind: 'xref.put';
  readonly objectKind: XrefKind;
  readonly ids: XrefIds;
}

/**
 * A row to write into the connector's PostgreSQL target table (`target: { kind: 'postgres' }`).
 * Build it with `upsert(...)`.
 */
export interface UpsertAction {
  readonly kind: 'upsert';
  /** The value of the table's key column (usually the event's key). */
  readonly key: string;
  /** Column name to value; columns not named keep their value on an update. */
  readonly row: Readonly<Record<string, unknown>>;
}

/** What a mapping returns: the runtime performs these in order. */
export type Action = HttpAction | ProduceAction | XrefPutAction | UpsertAction;

/**
 * A call to one of the systems' HTTP APIs. Where the system is reached is configuration, not
 * code: `CRM_URL` / `ERP_URL` / `SCM_URL` (default: this machine, at the catalogue's port).
 */
export interface HttpTarget {
  readonly system: SystemName;
  /** Timeout of one call in ms. Default 10 000. */
  readonly timeoutMs?: number;
}

/** A connector whose only actions are events to produce (topic to topic). */
export interface TopicTarget {
  readonly kind: 'topic';
  /**
   * The event types it produces, when known: the console draws the systems whose topics they are
   * published on as its targets (a declarative connector's are read from its produce actions).
   */
  readonly produces?: readonly EventFullName[];
}

/** How an {@link ExternalHttpTarget} authenticates; its credentials are configuration (`TARGET_<NAME>_*`). */
export type TargetAuth = 'none' | 'bearer' | 'basic' | 'oauth2';

/**
 * An HTTP API outside the catalogue's systems (a partner, a SaaS), named here and configured by
 * environment: `TARGET_<NAME>_URL` and the credentials its `auth` needs (docs/adapters.md).
 * The runtime adds the credentials (an OAuth2 client-credentials token is cached and renewed
 * before it expires), keeps to `rateLimit`, waits as long as a `Retry-After` answer asks, and
 * sends the same `Idempotency-Key` as to any target.
 */
export interface ExternalHttpTarget {
  readonly kind: 'http';
  /** Lower-case words joined by dashes; `partner-api` reads `TARGET_PARTNER_API_*`. */
  readonly name: string;
  readonly auth: TargetAuth;
  /** Calls per second this process makes to the target at most (a token bucket of `burst`, default `perSecond`). */
  readonly rateLimit?: { readonly perSecond: number; readonly burst?: number };
  /** Timeout of one call in ms. Default 10 000. */
  readonly timeoutMs?: number;
}

/**
 * A PostgreSQL table the connector writes rows into with {@link UpsertAction}s: one row per key,
 * each event applied once (its idempotency key is recorded in the same transaction). The
 * database is configuration: `TARGET_<NAME>_DATABASE_URL`.
 */
export interface PostgresTarget {
  readonly kind: 'postgres';
  /** Lower-case words joined by dashes; `reporting-db` reads `TARGET_REPORTING_DB_DATABASE_URL`. */
  readonly name: string;
  /** The table, optionally schema-qualified (`reporting.orders`). */
  readonly table: string;
  /** Its primary-key (or unique) column that holds the key. Default `id`. */
  readonly keyColumn?: string;
}

/** Where a connector's actions go. */
export type ConnectorTarget = HttpTarget | TopicTarget | ExternalHttpTarget | PostgresTarget;

/** Tuning of one connector; every field has a default. */
export interface ConnectorOptions {
  /** Events of different keys processed at once per partition. Default 16 (128 for a topic target). */
  readonly concurrency?: number;
  /** Tries of one event in the worker before it is parked in the retry topic. Default 5. */
  readonly maxAttempts?: number;
  /** Backoff between those tries, in ms. Default 200 .. 2000. */
  readonly retryInitialMs?: number;
  readonly retryMaxMs?: number;
  /** Rounds through the retry topic before an event is dead-lettered. Default 20 (about 15 minutes). */
  readonly maxParkRounds?: number;
  /** Delay of a parked event before its next round, in ms. Default 2000 .. 60 000. */
  readonly parkInitialMs?: number;
  readonly parkMaxMs?: number;
  /** How long completed idempotency keys are remembered in Redis, in seconds. Default 7 days. */
  readonly completedKeyTtlSeconds?: number;
  /**
   * How long a missing dependency is waited for, in ms from the event's first failure, before
   * the event is dead-lettered (`SWB_ERR_RUNTIME_DEPENDENCY_DEADLINE`) with what was missing.
   * Rounds through the retry topic go on until then, beyond `maxParkRounds`. Default 3 600 000 (1 h).
   */
  readonly missingDependencyDeadlineMs?: number;
  /**
   * How long one stage of one event (mapping, calling the target, producing, parking, ...) may
   * last before the worker reports it stalled (logged once, counted, status STALL). Default 60 000.
   */
  readonly stallTimeoutMs?: number;
}

/** What a connector author writes; see `defineConnector`. */
export interface ConnectorSpec<E extends SourceEventName> {
  /** Lower-case words joined by dashes, e.g. `crm-customer-to-erp`; names the consumer group and internal topics. */
  readonly name: string;
  readonly description: string;
  readonly source: {
    /** Catalogue topics (`topicSpec(...)` from catalogue/index.ts, or names like `crm.customer.v1` or a CDC table's `cdc.legacy-warehouse.public.stock_levels`). */
    readonly topics: readonly (TopicSpec | string)[];
    /** Record full names handled; other events on the topics are skipped. */
    readonly eventTypes: readonly E[];
  };
  readonly target: ConnectorTarget;
  /** Pure: from one event to the actions the runtime performs. Throw `missingDependency(...)` to retry later. */
  map(event: ConnectorEvent<E>, ctx: MappingContext): readonly Action[] | Promise<readonly Action[]>;
  readonly options?: ConnectorOptions;
}

/** A validated connector, as the runtime runs it. */
export interface ConnectorDefinition {
  readonly name: string;
  readonly description: string;
  readonly source: { readonly topics: readonly string[]; readonly eventTypes: readonly SourceEventName[] };
  readonly target: ConnectorTarget;
  map(event: ConnectorEvent, ctx: MappingContext): readonly Action[] | Promise<readonly Action[]>;
  readonly options: Required<ConnectorOptions>;
}
