/**
 * The shape of `connectors/<name>/connector.yaml` after JSON Schema validation
 * (connector.schema.json, built by connector-schema.ts). Strings called expressions are
 * JSONata; strings called templates are text with `{JSONata}` placeholders.
 */
import type { ConnectorOptions, HttpMethod, SystemName, TargetAuth, XrefKind } from '../sdk/index.js';

/** Rules on target answers, before the runtime's defaults. */
export interface AnswerRulesSpec {
  readonly final?: readonly number[];
  readonly retriable?: readonly number[];
  /** Expression over the event and `response`. */
  readonly finalWhen?: string;
  readonly retriableWhen?: string;
}

export interface RefusalSpec {
  /** Expression. */
  readonly when: string;
  /** Template. */
  readonly message: string;
}

/** Bindings, refusals and actions: a mapping case, or what follows an HTTP answer. */
export interface StepSpec {
  /** Expressions by name, evaluated in order. */
  readonly let?: Readonly<Record<string, string>>;
  readonly refuse?: readonly RefusalSpec[];
  readonly actions: readonly ActionSpec[];
}

export interface CaseSpec extends StepSpec {
  /** Expression; the first case whose condition holds maps the event. */
  readonly when?: string;
}

export interface HttpSpec {
  readonly method: HttpMethod;
  /** Template; placeholders are URL-encoded. */
  readonly path: string;
  /** Templates by header name. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Expression. */
  readonly body?: string;
  readonly okStatuses?: readonly number[];
  readonly answers?: AnswerRulesSpec;
  readonly onResponse?: StepSpec;
}

export interface ProduceSpec {
  readonly eventType: string;
  /** Expressions. */
  readonly key: string;
  readonly value: string;
}

export interface XrefPutSpec {
  readonly kind: XrefKind;
  /** Expressions by system. */
  readonly ids: Readonly<Partial<Record<SystemName, string>>>;
}

export interface UpsertSpec {
  /** Expression; default the event key. */
  readonly key?: string;
  /** Expression giving an object of column values. */
  readonly row: string;
}

export interface ActionSpec {
  /** Expression. */
  readonly when?: string;
  readonly http?: HttpSpec;
  readonly produce?: ProduceSpec;
  readonly 'xref.put'?: XrefPutSpec;
  readonly upsert?: UpsertSpec;
}

/** Any target: a system, a topic, an external HTTP API or a PostgreSQL table (the loader checks which fields go together). */
export interface TargetSpec {
  readonly system?: SystemName;
  readonly timeoutMs?: number;
  readonly kind?: 'topic' | 'http' | 'postgres';
  readonly name?: string;
  readonly auth?: TargetAuth;
  readonly rateLimit?: { readonly perSecond: number; readonly burst?: number };
  readonly table?: string;
  readonly keyColumn?: string;
}

export interface ConnectorFileSpec {
  readonly name: string;
  readonly description: string;
  readonly source: { readonly topics: readonly string[]; readonly eventTypes: readonly string[] };
  readonly target: TargetSpec;
  /** Expression. */
  readonly filter?: string;
  readonly answers?: AnswerRulesSpec;
  readonly options?: ConnectorOptions;
  readonly mapping: readonly CaseSpec[];
}
