import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The SCRAM super user created when a secure cluster is formatted. */
export const KAFKA_ADMIN_USER = 'admin';

/** The secrets of a secure local cluster, kept in `<stack dir>/secure/credentials.json` (mode 0600). */
export interface SecureCredentials {
  /** Password of the broker's PKCS12 keystore and truststore. */
  readonly storePassword: string;
  /** SCRAM-SHA-512 password of each principal, `admin` included. */
  readonly users: Readonly<Record<string, string>>;
}

/**
 * A random secret of 48 hex characters: safe inside Kafka's `[name=...,password=...]` SCRAM
 * syntax, JAAS quotes and properties files, with no escaping.
 */
export function randomSecret(): string {
  return randomBytes(24).toString('hex');
}

/** The credentials file of a stack's secure folder. */
export function credentialsFile(secureDir: string): string {
  return join(secureDir, 'credentials.json');
}

/** Writes a file only its owner can read (secrets), also when it existed with wider rights. */
export function writePrivateFile(file: string, content: string): void {
  writeFileSync(file, content, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/**
 * The stack's secure credentials, made (random) the first time and kept afterwards. Never
 * print them; hand them to clients through `client.env` or `secureBusConfig`.
 *
 * @example
 * ```ts
 * const { users } = loadOrCreateCredentials('/s/secure'); // users.admin: 48 hex characters
 * ```
 */
export function loadOrCreateCredentials(secureDir: string): SecureCredentials {
  const file = credentialsFile(secureDir);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as SecureCredentials;
  const credentials: SecureCredentials = { storePassword: randomSecret(), users: { [KAFKA_ADMIN_USER]: randomSecret() } };
  saveCredentials(secureDir, credentials);
  return credentials;
}

/** Replaces the credentials file (mode 0600, folder 0700). */
export function saveCredentials(secureDir: string, credentials: SecureCredentials): void {
  mkdirSync(secureDir, { recursive: true, mode: 0o700 });
  chmodSync(secureDir, 0o700);
  writePrivateFile(credentialsFile(secureDir), `${JSON.stringify(credentials, null, 2)}\n`);
}
