import { ERRORS, SwitchboardError } from '../errors/index.js';
import type { ConnectorDefinition } from '../sdk/types.js';

/** `--connector` named a connector that is not in connectors/index.ts. */
export class UnknownConnectorError extends SwitchboardError {
  constructor(names: readonly string[], known: readonly string[]) {
    super(ERRORS.RUNTIME_UNKNOWN_CONNECTOR.code, `unknown connector(s) ${names.join(', ')}; known: ${known.join(', ') || '(none registered in connectors/index.ts)'}`);
  }
}

/**
 * The connectors a `--connector NAME ...` option selects: all registered, or those named. In a file of
 * its own so that `switchboard console` uses it without loading the worker command's runtime
 * (kafkajs consumers, declarative connectors, tracing, pg: about 10 MB of the console's RSS).
 *
 * @example
 * ```ts
 * selectConnectors(CONNECTORS, ['crm-order-to-erp']); // [the crm-order-to-erp definition]
 * selectConnectors(CONNECTORS, []); // every registered connector
 * ```
 */
export function selectConnectors(all: readonly ConnectorDefinition[], names: readonly string[]): ConnectorDefinition[] {
  if (names.length === 0) return [...all];
  const unknown = names.filter((name) => !all.some((c) => c.name === name));
  if (unknown.length > 0) throw new UnknownConnectorError(unknown, all.map((c) => c.name));
  return all.filter((c) => names.includes(c.name));
}
