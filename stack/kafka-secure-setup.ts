/**
 * The secure cluster's files: its TLS material and credentials (made once), the admin's SCRAM
 * credential for formatting, and `client.env` for clients.
 */
import { join } from 'node:path';
import type { BusConfig } from '../hub/bus/index.js';
import { ensureCommand } from './prerequisites.js';
import { clientEnv, scramFormatArgs, type KafkaSecurity } from './kafka-security.js';
import { localBrokers, secureBusConfig } from './secure-client.js';
import { credentialsFile, KAFKA_ADMIN_USER, loadOrCreateCredentials, writePrivateFile } from './secure-credentials.js';
import type { StackSettings } from './stack-settings.js';
import { ensureTlsMaterial, tlsFiles } from './tls.js';

/** Where a client of the secure stack finds what it needs (the result of `up --secure`; no secret in it). */
export interface SecureClientFiles {
  /** KAFKA_* variables for the admin (provisioning only), mode 0600. */
  readonly clientEnvFile: string;
  /** PEM of the local CA (KAFKA_SSL_CA_FILE). */
  readonly caFile: string;
  /** Every principal's password, mode 0600. */
  readonly credentialsFile: string;
  readonly saslMechanism: 'scram-sha-512';
  readonly adminUser: string;
}

/**
 * The TLS material and secrets of a secure cluster (made the first time), and the StorageTool
 * arguments that create the admin at format time.
 */
export function prepareSecureCluster(settings: StackSettings, java: string, progress: (line: string) => void): { security: KafkaSecurity; formatArgs: string[] } {
  ensureCommand('openssl', 'openssl', 'The secure stack (its local CA)', progress);
  const credentials = loadOrCreateCredentials(settings.secureDir);
  const tls = ensureTlsMaterial(settings.tlsDir, credentials.storePassword, java, progress);
  const adminPassword = credentials.users[KAFKA_ADMIN_USER];
  return { security: { tls, storePassword: credentials.storePassword, adminPassword }, formatArgs: scramFormatArgs(adminPassword) };
}

/** Writes `<stack dir>/secure/client.env` (mode 0600) and says where the client files are. */
export function writeSecureClientFiles(settings: StackSettings): SecureClientFiles {
  const credentials = loadOrCreateCredentials(settings.secureDir);
  const caFile = tlsFiles(settings.tlsDir).caPem;
  const clientEnvFile = join(settings.secureDir, 'client.env');
  writePrivateFile(clientEnvFile, clientEnv(localBrokers(settings), caFile, KAFKA_ADMIN_USER, credentials.users[KAFKA_ADMIN_USER]));
  return { clientEnvFile, caFile, credentialsFile: credentialsFile(settings.secureDir), saslMechanism: 'scram-sha-512', adminUser: KAFKA_ADMIN_USER };
}

/** Probes of a secure stack connect as admin to `config`'s brokers, trusting the stack's CA. */
export function secureProbeConfig(settings: StackSettings, config: BusConfig): BusConfig {
  const credentials = loadOrCreateCredentials(settings.secureDir);
  return secureBusConfig(
    { brokers: config.brokers, caPem: tlsFiles(settings.tlsDir).caPem, username: KAFKA_ADMIN_USER, password: credentials.users[KAFKA_ADMIN_USER] },
    'switchboard-stack-probe',
  );
}
