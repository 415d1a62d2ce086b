import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { BusConfig } from '../bus/index.js';
import { configError, loadConfig } from '../config/load-config.js';

/** The variable naming the file of per-connector Kafka credentials. */
export const CONNECTOR_CREDENTIALS_VARIABLE = 'KAFKA_CONNECTOR_CREDENTIALS_FILE';

/** One connector's SCRAM login. */
export interface KafkaLogin {
  readonly username: string;
  readonly password: string;
}

const fileShape = z.record(z.string(), z.object({ username: z.string().min(1), password: z.string().min(1) }).strict());

/**
 * The per-connector Kafka logins of a secure deployment, from the JSON file named by
 * KAFKA_CONNECTOR_CREDENTIALS_FILE (`{ "<connector>": { "username": ..., "password": ... } }`,
 * written mode 0600 by `switchboard up --secure`); undefined when the variable is unset (every
 * connector then shares the worker's KAFKA_SASL_* login). Checked at start-up: every connector
 * of `connectors` must have one.
 *
 * @example
 * ```ts
 * loadConnectorKafkaCredentials(['crm-order-to-erp'], { KAFKA_CONNECTOR_CREDENTIALS_FILE: '/s/secure/connectors.json' });
 * // Map { 'crm-order-to-erp' => { username: 'connector-crm-order-to-erp', password: '…' } }
 * ```
 * @throws ConfigError naming the variable when the file is missing, malformed or lacks a connector.
 */
export function loadConnectorKafkaCredentials(connectors: readonly string[], env: NodeJS.ProcessEnv = process.env): ReadonlyMap<string, KafkaLogin> | undefined {
  const file = loadConfig('worker', {
    [CONNECTOR_CREDENTIALS_VARIABLE]: z.string().optional().describe('JSON file of each connector\'s own Kafka SCRAM login (switchboard up --secure writes it)'),
  }, env)[CONNECTOR_CREDENTIALS_VARIABLE];
  if (!file) return undefined;
  const fail = (why: string): never => {
    throw configError('worker', [{ variable: CONNECTOR_CREDENTIALS_VARIABLE, message: `${why} (${file})` }]);
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return fail(`must name a readable JSON file: ${error instanceof Error ? error.message : String(error)}`);
  }
  const result = fileShape.safeParse(parsed);
  if (!result.success) return fail('the file must map each connector to { "username", "password" }');
  const missing = connectors.filter((name) => !(name in result.data));
  if (missing.length > 0) fail(`the file has no login for connector(s) ${missing.join(', ')}`);
  return new Map(Object.entries(result.data));
}

/** `config` logging in as `login` (same brokers, TLS and mechanism). */
export function asLogin(config: BusConfig, login: KafkaLogin): BusConfig {
  if (!config.sasl) throw configError('worker', [{ variable: 'KAFKA_SASL_MECHANISM', message: `must be set when ${CONNECTOR_CREDENTIALS_VARIABLE} is (per-connector logins are SASL logins)` }]);
  return { ...config, sasl: { ...config.sasl, username: login.username, password: login.password } };
}
