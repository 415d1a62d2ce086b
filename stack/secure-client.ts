import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { CLIENT_SASL_MECHANISM } from './kafka-security.js';
import { KAFKA_ADMIN_USER, loadOrCreateCredentials } from './secure-credentials.js';
import { StackSecurityError } from './stack-errors.js';
import { resolveStackSettings, type StackOptions, type StackSettings } from './stack-settings.js';
import { tlsFiles } from './tls.js';

/** What a client of the secure stack needs: where, whom to trust, and who it is. */
export interface SecureClientInput {
  readonly brokers: readonly string[];
  /** PEM file of the local CA. */
  readonly caPem: string;
  readonly username: string;
  readonly password: string;
}

/**
 * kafkajs options for a secure cluster: TLS trusting only the stack's CA, SASL/SCRAM-SHA-512.
 * This is what hub/bus should build from `KAFKA_SSL_CA_FILE` and `KAFKA_SASL_*`.
 *
 * @example
 * ```ts
 * const kafka = new Kafka(secureKafkaConfig({ brokers: ['127.0.0.1:9092'], caPem: '/s/tls/ca.pem', username: 'svc-a', password }));
 * ```
 */
export function secureKafkaConfig(input: SecureClientInput, extra: Partial<KafkaConfig> = {}): KafkaConfig {
  return {
    clientId: 'switchboard-stack',
    logLevel: logLevel.NOTHING,
    ...extra,
    brokers: [...input.brokers],
    ssl: { ca: [readFileSync(input.caPem, 'utf8')] },
    sasl: { mechanism: CLIENT_SASL_MECHANISM, username: input.username, password: input.password },
  };
}

/** Brokers of a local cluster as `host:port`. */
export const localBrokers = (settings: StackSettings): string[] => settings.nodes.map((node) => `127.0.0.1:${node.port}`);

/** The settings of the secure stack described by `options` (the layout the last `up` recorded), or a StackSecurityError. */
export function secureSettings(options: StackOptions): StackSettings {
  const settings = resolveStackSettings(options, true);
  if (!settings.secure) throw new StackSecurityError(`The stack in ${settings.dir} is not secure: start it with \`switchboard stack up --secure\`.`);
  return settings;
}

/**
 * The client input for a principal of the local secure stack, its password read from
 * `<stack dir>/secure/credentials.json` (`admin` by default).
 *
 * @example
 * ```ts
 * const kafka = new Kafka(secureKafkaConfig(stackClientInput({ dir: '/tmp/s' })));
 * ```
 * @throws StackSecurityError when the stack is not secure or the user is unknown.
 */
export function stackClientInput(options: StackOptions = {}, username = KAFKA_ADMIN_USER): SecureClientInput {
  const settings = secureSettings(options);
  const password = loadOrCreateCredentials(settings.secureDir).users[username];
  if (password === undefined) throw new StackSecurityError(`No credentials for ${username} in ${join(settings.secureDir, 'credentials.json')}; create the user with ensureScramUser.`);
  return { brokers: localBrokers(settings), caPem: tlsFiles(settings.tlsDir).caPem, username, password };
}

/** A kafkajs client of the local secure stack as `username` (admin by default). */
export function secureStackKafka(options: StackOptions = {}, username = KAFKA_ADMIN_USER, extra: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka(secureKafkaConfig(stackClientInput(options, username), extra));
}
