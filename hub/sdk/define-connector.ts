import { SYSTEM_NAMES, catalogueTopics, isSystemName, topicName, type CatalogueTopic } from '../../catalogue/index.js';
import { ConnectorDefinitionError } from '../errors/index.js';
import type { ConnectorDefinition, ConnectorOptions, ConnectorSpec, ConnectorTarget, MappingContext, ConnectorEvent, Action, SourceEventName } from './types.js';

/** What a connector name looks like: lower-case words joined by dashes, e.g. `crm-customer-to-erp`. */
export const CONNECTOR_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** The authentications an external HTTP target may use. */
export const TARGET_AUTHS = Object.freeze(['none', 'bearer', 'basic', 'oauth2'] as const);

/** A PostgreSQL table or column name a target may name: `orders`, `reporting.orders`. */
export const SQL_NAME = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;

/**
 * `concurrency` of a connector whose target is a topic, unless it sets one. Its effects are
 * produced events, which the runtime gathers into one produce request: the more events in
 * flight, the larger the requests, and kafkajs spends about 1 ms of CPU per request whatever its
 * size (bench/COMPARISONS.md). No target system's capacity to spare, unlike HTTP targets.
 */
export const DEFAULT_TOPIC_TARGET_CONCURRENCY = 128;

/** Defaults of {@link ConnectorOptions} (`concurrency` for an HTTP target; see DEFAULT_TOPIC_TARGET_CONCURRENCY). */
export const DEFAULT_CONNECTOR_OPTIONS: Required<ConnectorOptions> = Object.freeze({
  concurrency: 16,
  maxAttempts: 5,
  retryInitialMs: 200,
  retryMaxMs: 2000,
  maxParkRounds: 20,
  parkInitialMs: 2000,
  parkMaxMs: 60_000,
  completedKeyTtlSeconds: 7 * 24 * 3600,
  missingDependencyDeadlineMs: 3_600_000,
  stallTimeoutMs: 60_000,
});

/**
 * Declares a connector: where its events come from, which it handles, where they go, and the
 * pure mapping from one typed event to actions. The runtime does the rest: delivery,
 * ordering per key, retries, parking, dead-lettering, idempotency keys and telemetry.
 *
 * Validated here, once, when the module loads: the name, the topics (must be in
 * topics/catalogue.ts), the event types (must be published on those topics), the target and
 * the options. A ConnectorDefinitionError lists every problem.
 *
 * @example
 * ```ts
 * import { defineConnector, http, xref, missingDependency } from '../../hub/sdk/index.js';
 * import { topicSpec } from '../../catalogue/index.js';
 *
 * export default defineConnector({
 *   name: 'crm-customer-to-erp',
 *   description: 'Opens or updates the ERP debtor account of each CRM customer',
 *   source: { topics: [topicSpec('crm', 'customer')], eventTypes: ['switchboard.crm.CustomerCreated', 'switchboard.crm.CustomerUpdated'] },
 *   target: { system: 'erp' },
 *   map: (event) => [
 *     http({
 *       method: 'PUT', path: `/accounts/${event.value.customerId}`, body: { name: event.value.name, segment: event.value.segment },
 *       onResponse: (res) => [xref.put('customer', { crm: event.value.customerId, erp: (res.body as { accountNumber: string }).accountNumber })],
 *     }),
 *   ],
 * });
 * ```
 */
export function defineConnector<const E extends SourceEventName>(spec: ConnectorSpec<E>): ConnectorDefinition {
  const problems: string[] = [];
  if (!CONNECTOR_NAME.test(spec.name)) problems.push(`name ${JSON.stringify(spec.name)} must be lower-case words joined by dashes, e.g. crm-customer-to-erp`);
  if (!spec.description?.trim()) problems.push('description is required');

  const known = catalogueTopics();
  const topics: CatalogueTopic[] = [];
  for (const topic of spec.source.topics ?? []) {
    const name = typeof topic === 'string' ? topic : topicName(topic);
    const found = known.find((candidate) => candidate.name === name);
    if (!found) problems.push(`source topic ${name} is not in topics/catalogue.ts`);
    else if (!topics.includes(found)) topics.push(found);
  }
  if ((spec.source.topics ?? []).length === 0) problems.push('source.topics must name at least one topic');
  if ((spec.source.eventTypes ?? []).length === 0) problems.push('source.eventTypes must name at least one event type');
  for (const eventType of spec.source.eventTypes ?? []) {
    const onTopic = topics.some((topic) => topic.eventTypes.includes(eventType));
    if (!onTopic) problems.push(`event type ${eventType} is not published on ${topics.map((t) => t.name).join(', ') || 'the source topics'}`);
  }

  problems.push(...targetProblems(spec.target));
  if (typeof spec.map !== 'function') problems.push('map must be a function');

  const defaults = 'kind' in spec.target && spec.target.kind === 'topic' ? { ...DEFAULT_CONNECTOR_OPTIONS, concurrency: DEFAULT_TOPIC_TARGET_CONCURRENCY } : DEFAULT_CONNECTOR_OPTIONS;
  const options = { ...defaults, ...spec.options };
  for (const [key, value] of Object.entries(options)) {
    if (!Number.isInteger(value) || value < 1) problems.push(`options.${key} must be a positive integer, got ${String(value)}`);
  }
  if (problems.length > 0) throw new ConnectorDefinitionError(problems.map((p) => `${spec.name}: ${p}`));

  return Object.freeze({
    name: spec.name,
    description: spec.description,
    source: Object.freeze({ topics: Object.freeze(topics.map((t) => t.name)), eventTypes: Object.freeze([...spec.source.eventTypes]) }),
    target: Object.freeze({ ...spec.target }),
    // The runtime only calls map with events of the declared types, so widening is safe.
    map: spec.map as (event: ConnectorEvent, ctx: MappingContext) => readonly Action[] | Promise<readonly Action[]>,
    options: Object.freeze(options),
  });
}

/** What is wrong with a target: a catalogue system, a topic, an external HTTP API or a PostgreSQL table. */
function targetProblems(target: ConnectorTarget): string[] {
  const problems: string[] = [];
  if ('system' in target) {
    if (!isSystemName(target.system)) problems.push(`target.system must be one of ${SYSTEM_NAMES.join(', ')}, got ${JSON.stringify(target.system)}`);
    return problems;
  }
  switch (target.kind) {
    case 'topic':
      break;
    case 'http':
      if (!CONNECTOR_NAME.test(target.name ?? '')) problems.push(`target.name ${JSON.stringify(target.name)} must be lower-case words joined by dashes, e.g. partner-api`);
      if (!(TARGET_AUTHS as readonly string[]).includes(target.auth)) problems.push(`target.auth must be one of ${TARGET_AUTHS.join(', ')}, got ${JSON.stringify(target.auth)}`);
      if (target.rateLimit && !(target.rateLimit.perSecond > 0 && (target.rateLimit.burst ?? 1) >= 1)) problems.push('target.rateLimit.perSecond must be above 0 and burst at least 1');
      break;
    case 'postgres':
      if (!CONNECTOR_NAME.test(target.name ?? '')) problems.push(`target.name ${JSON.stringify(target.name)} must be lower-case words joined by dashes, e.g. reporting-db`);
      if (!SQL_NAME.test(target.table ?? '')) problems.push(`target.table ${JSON.stringify(target.table)} must be a lower-case table name, optionally schema-qualified`);
      if (target.keyColumn !== undefined && !/^[a-z_][a-z0-9_]*$/.test(target.keyColumn)) problems.push(`target.keyColumn ${JSON.stringify(target.keyColumn)} must be a lower-case column name`);
      break;
    default:
      problems.push(`target must be { system: ${SYSTEM_NAMES.map((name) => `"${name}"`).join(' | ')} }, { kind: "topic" }, { kind: "http", name, auth } or { kind: "postgres", name, table }`);
  }
  return problems;
}
