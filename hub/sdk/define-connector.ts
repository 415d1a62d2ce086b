import { DOMAIN_TOPICS, SYSTEM_NAMES, isSystemName, recordFullName, topicName, type EventFullName, type TopicSpec } from '../../catalogue/index.js';
import { ConnectorDefinitionError } from '../errors/index.js';
import type { ConnectorDefinition, ConnectorOptions, ConnectorSpec, MappingContext, ConnectorEvent, Action } from './types.js';

/** What a connector name looks like: lower-case words joined by dashes, e.g. `crm-customer-to-erp`. */
export const CONNECTOR_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

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
export function defineConnector<const E extends EventFullName>(spec: ConnectorSpec<E>): ConnectorDefinition {
  const problems: string[] = [];
  if (!CONNECTOR_NAME.test(spec.name)) problems.push(`name ${JSON.stringify(spec.name)} must be lower-case words joined by dashes, e.g. crm-customer-to-erp`);
  if (!spec.description?.trim()) problems.push('description is required');

  const topics: TopicSpec[] = [];
  for (const topic of spec.source.topics ?? []) {
    const name = typeof topic === 'string' ? topic : topicName(topic);
    const found = DOMAIN_TOPICS.find((candidate) => topicName(candidate) === name);
    if (!found) problems.push(`source topic ${name} is not in topics/catalogue.ts`);
    else if (!topics.includes(found)) topics.push(found);
  }
  if ((spec.source.topics ?? []).length === 0) problems.push('source.topics must name at least one topic');
  if ((spec.source.eventTypes ?? []).length === 0) problems.push('source.eventTypes must name at least one event type');
  for (const eventType of spec.source.eventTypes ?? []) {
    const onTopic = topics.some((topic) => topic.eventTypes.some((name) => recordFullName(topic.system, name) === eventType));
    if (!onTopic) problems.push(`event type ${eventType} is not published on ${topics.map((t) => topicName(t)).join(', ') || 'the source topics'}`);
  }

  const target = spec.target;
  if ('system' in target) {
    if (!isSystemName(target.system)) problems.push(`target.system must be one of ${SYSTEM_NAMES.join(', ')}, got ${JSON.stringify(target.system)}`);
  } else if (target.kind !== 'topic') {
    problems.push(`target must be { system: ${SYSTEM_NAMES.map((name) => `"${name}"`).join(' | ')} } or { kind: "topic" }`);
  }
  if (typeof spec.map !== 'function') problems.push('map must be a function');

  const defaults = 'kind' in target && target.kind === 'topic' ? { ...DEFAULT_CONNECTOR_OPTIONS, concurrency: DEFAULT_TOPIC_TARGET_CONCURRENCY } : DEFAULT_CONNECTOR_OPTIONS;
  const options = { ...defaults, ...spec.options };
  for (const [key, value] of Object.entries(options)) {
    if (!Number.isInteger(value) || value < 1) problems.push(`options.${key} must be a positive integer, got ${String(value)}`);
  }
  if (problems.length > 0) throw new ConnectorDefinitionError(problems.map((p) => `${spec.name}: ${p}`));

  return Object.freeze({
    name: spec.name,
    description: spec.description,
    source: Object.freeze({ topics: Object.freeze(topics.map((t) => topicName(t))), eventTypes: Object.freeze([...spec.source.eventTypes]) }),
    target: Object.freeze({ ...target }),
    // The runtime only calls map with events of the declared types, so widening is safe.
    map: spec.map as (event: ConnectorEvent, ctx: MappingContext) => readonly Action[] | Promise<readonly Action[]>,
    options: Object.freeze(options),
  });
}
