import { connectorGroups, connectorTopics } from '../runtime/connector-topics.js';
import type { ConnectorDefinition } from '../sdk/types.js';

/** A connector as the admin API sees it: names and the topics and groups it uses, behind the prefix. */
export interface AdminConnector {
  readonly name: string;
  readonly description: string;
  /** The target system (`erp`), or `topics` for a connector that only produces events. */
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
      target: 'system' in definition.target ? definition.target.system : 'topics',
      sources: topics.sources,
      eventTypes: definition.source.eventTypes,
      groups: connectorGroups(definition.name, prefix),
      retryTopic: topics.retry,
      deadLetterTopic: topics.deadLetter,
    };
  });
}
