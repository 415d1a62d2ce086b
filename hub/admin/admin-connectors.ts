import { eventEntry } from '../../catalogue/index.js';
import { connectorGroups, connectorTopics } from '../runtime/connector-topics.js';
import type { ConnectorDefinition, ConnectorTarget } from '../sdk/types.js';

/** A connector as the admin API sees it: names and the topics and groups it uses, behind the prefix. */
export interface AdminConnector {
  readonly name: string;
  readonly description: string;
  /**
   * The target system (`erp`). A connector that only produces events writes to the system whose
   * topics its events go to (the catalogue says which); `topics` when that is not one system.
   */
  readonly target: string;
  /** Source topics, as named on the broker (with the prefix). */
  readonly sources: readonly string[];
  readonly eventTypes: readonly string[];
  readonly groups: { readonly main: string; readonly retry: string };
  readonly retryTopic: string;
  readonly deadLetterTopic: string;
}

/**
 * The admin API's view of the registered connectors (the composition root hands over the
 * definitions; hub/ never imports connectors/).
 *
 * @example
 * ```ts
 * const [first] = adminConnectorsOf(CONNECTORS, '');
 * first.groups.main; // 'switchboard.connector.crm-customer-to-erp'
 * ```
 */
export function adminConnectorsOf(definitions: readonly ConnectorDefinition[], prefix: string): AdminConnector[] {
  return definitions.map((definition) => {
    const topics = connectorTopics(definition, prefix);
    return {
      name: definition.name,
      description: definition.description,
      target: targetSystemOf(definition.target),
      sources: topics.sources,
      eventTypes: definition.source.eventTypes,
      groups: connectorGroups(definition.name, prefix),
      retryTopic: topics.retry,
      deadLetterTopic: topics.deadLetter,
    };
  });
}

/**
 * The system a connector writes to: its target system, or for a topic target the one system
 * whose topics carry every event type it produces. `topics` when that is not one system (it
 * produces for several, or does not say what) and for an external HTTP API or PostgreSQL table.
 *
 * @example
 * ```ts
 * targetSystemOf({ kind: 'topic', produces: ['switchboard.scm.StockMoved'] }); // 'scm'
 * ```
 */
export function targetSystemOf(target: ConnectorTarget): string {
  if ('system' in target) return target.system;
  if (target.kind !== 'topic') return 'topics';
  const systems = new Set((target.produces ?? []).map((eventType) => eventEntry(eventType).system));
  return systems.size === 1 ? [...systems][0] as string : 'topics';
}
