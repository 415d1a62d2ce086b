import { join } from 'node:path';
import { Bus, type BusConfig } from '../hub/bus/index.js';
import { createLogger, type Logger } from '../hub/log/logger.js';
import { CLIENT_SASL_MECHANISM } from './kafka-security.js';
import { KAFKA_ADMIN_USER, loadOrCreateCredentials } from './secure-credentials.js';
import { StackSecurityError } from './stack-errors.js';
import { resolveStackSettings, type StackOptions, type StackSettings } from './stack-settings.js';
import { tlsFiles } from './tls.js';

const quiet = createLogger('stack-client', { level: 'silent' });

/** What a client of the secure stack needs: where, whom to trust, and who it is. */
export interface SecureClientInput {
  readonly brokers: readonly string[];
  /** PEM file of the local CA. */
  readonly caPem: string;
  readonly username: string;
  readonly password: string;
}

/**
 * The bus settings of a client of a secure cluster: TLS trusting only the stack's CA,
 * SASL/SCRAM-SHA-512 as `username`. The same settings a process gets from `client.env`
 * (KAFKA_SSL, KAFKA_SSL_CA_FILE, KAFKA_SASL_*).
 *
 * @example
 * ```ts
 * const bus = new Bus(secureBusConfig({ brokers: ['127.0.0.1:9092'], caPem: '/s/tls/ca.pem', username: 'svc-a', password }), logger);
 * ```
 */
export function secureBusConfig(input: SecureClientInput, clientId = 'switchboard-stack'): BusConfig {
  return Object.freeze({
    brokers: Object.freeze([...input.brokers]),
    clientId,
    ssl: true,
    sslCaFile: input.caPem,
    sasl: { mechanism: CLIENT_SASL_MECHANISM, username: input.username, password: input.password },
    replicationFactor: 1,
    minInsyncReplicas: 1,
  });
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
 * const bus = new Bus(secureBusConfig(stackClientInput({ dir: '/tmp/s' })), logger);
 * ```
 * @throws StackSecurityError when the stack is not secure or the user is unknown.
 */
export function stackClientInput(options: StackOptions = {}, username = KAFKA_ADMIN_USER): SecureClientInput {
  const settings = secureSettings(options);
  const password = loadOrCreateCredentials(settings.secureDir).users[username];
  if (password === undefined) throw new StackSecurityError(`No credentials for ${username} in ${join(settings.secureDir, 'credentials.json')}; create the user with ensureScramUser.`);
  return { brokers: localBrokers(settings), caPem: tlsFiles(settings.tlsDir).caPem, username, password };
}

/** A bus client of the local secure stack as `username` (admin by default). */
export function secureStackBus(options: StackOptions = {}, username = KAFKA_ADMIN_USER, logger: Logger = quiet): Bus {
  return new Bus(secureBusConfig(stackClientInput(options, username)), logger, 'stack');
}
