/**
 * Principals and ACLs of the local secure stack: `ensureScramUser` adds a SCRAM-SHA-512 user
 * to the running cluster (Kafka's own ConfigCommand from the broker's jars; the Node client
 * cannot alter SCRAM credentials), `ensureAcls` grants ACLs through the bus's admin client.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Bus, type AclGrant } from '../hub/bus/index.js';
import { createLogger } from '../hub/log/logger.js';
import { kafkaLibsDir } from './kafka-artifacts.js';
import { renderProperties } from './kafka-config.js';
import { adminToolProperties, SCRAM_MECHANISM } from './kafka-security.js';
import { ensureJava } from './prerequisites.js';
import { waitFor } from './probes.js';
import { localBrokers, secureBusConfig, secureSettings, stackClientInput } from './secure-client.js';
import { loadOrCreateCredentials, randomSecret, saveCredentials, writePrivateFile } from './secure-credentials.js';
import { StackSecurityError } from './stack-errors.js';
import type { StackOptions } from './stack-settings.js';
import { tlsFiles } from './tls.js';

const quiet = createLogger('stack-users', { level: 'silent' });
const execFileAsync = promisify(execFile);
const PROPAGATION_TIMEOUT_MS = 30_000;

/** A user name Kafka and the SCRAM syntax accept without quoting. */
const USER_NAME = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Makes `name` a SCRAM-SHA-512 user of the running secure stack, with `password` or (when
 * omitted) the one kept in credentials.json or a new random one, and waits until every broker
 * accepts its login. Idempotent. The password is stored in `<stack dir>/secure/credentials.json`
 * (mode 0600) and returned, never printed.
 *
 * @example
 * ```ts
 * const { password } = await ensureScramUser('svc-a', undefined, { dir: '/tmp/s' });
 * ```
 * @throws StackSecurityError when the stack is not secure or Kafka refuses the change.
 */
export async function ensureScramUser(name: string, password?: string, options: StackOptions = {}): Promise<{ username: string; password: string }> {
  if (!USER_NAME.test(name)) throw new StackSecurityError(`User name ${JSON.stringify(name)} must be 1-64 letters, digits, '.', '_' or '-'.`);
  const settings = secureSettings(options);
  const credentials = loadOrCreateCredentials(settings.secureDir);
  const secret = password ?? credentials.users[name] ?? randomSecret();
  if (/[,=[\]"\s]/.test(secret)) throw new StackSecurityError('A SCRAM password must not contain commas, "=", brackets, quotes or spaces.');
  saveCredentials(settings.secureDir, { ...credentials, users: { ...credentials.users, [name]: secret } });

  const admin = stackClientInput(options);
  const toolConfig = join(settings.secureDir, 'admin-tool.properties');
  writePrivateFile(
    toolConfig,
    renderProperties(adminToolProperties({ tls: tlsFiles(settings.tlsDir), storePassword: credentials.storePassword, adminPassword: admin.password })),
  );
  const java = ensureJava(() => undefined);
  const args = [
    '-Xmx128m', '-XX:TieredStopAtLevel=1', '-Dlog4j.configuration=file:/dev/null', '-cp', join(kafkaLibsDir(options.env), '*'),
    'kafka.admin.ConfigCommand', '--bootstrap-server', admin.brokers.join(','), '--command-config', toolConfig,
    '--alter', '--add-config', `${SCRAM_MECHANISM}=[iterations=8192,password=${secret}]`, '--entity-type', 'users', '--entity-name', name,
  ];
  await execFileAsync(java, args, { maxBuffer: 4 * 1024 * 1024 }).catch((error: { stderr?: string; stdout?: string }) => {
    // The password is an argument: keep the command line out of the message.
    const said = `${error.stdout ?? ''}${error.stderr ?? ''}`.split('\n').filter((line) => line.trim() && !line.includes(secret)).slice(-5).join('\n');
    throw new StackSecurityError(`Adding the SCRAM user ${name} failed:\n${said}`);
  });

  // The credential reaches each broker through the metadata log: wait until all take the login.
  const everyBrokerAccepts = async (): Promise<boolean> => {
    for (const broker of localBrokers(settings)) {
      const client = new Bus(secureBusConfig({ ...admin, brokers: [broker], username: name, password: secret }), quiet, 'stack-login').admin({ retries: 0 });
      try {
        await client.connect();
      } catch {
        return false;
      } finally {
        await client.close().catch(() => undefined);
      }
    }
    return true;
  };
  if (!(await waitFor(everyBrokerAccepts, { timeoutMs: PROPAGATION_TIMEOUT_MS, intervalMs: 300 }))) {
    throw new StackSecurityError(`The SCRAM user ${name} was added, but the brokers still refuse its login after ${PROPAGATION_TIMEOUT_MS / 1000} s.`);
  }
  return { username: name, password: secret };
}

/**
 * Grants ACLs on the running secure stack (as admin) and waits until the cluster lists them.
 * Idempotent: Kafka ignores an ACL it already has.
 *
 * @example
 * ```ts
 * await ensureAcls([{ principal: 'User:svc-a', resource: 'topic', name: 'a.t', operations: ['write', 'describe'] }], { dir: '/tmp/s' });
 * ```
 * @throws StackSecurityError when the stack is not secure or Kafka refuses an ACL.
 */
export async function ensureAcls(grants: readonly AclGrant[], options: StackOptions = {}): Promise<void> {
  if (grants.length === 0) return;
  const admin = new Bus(secureBusConfig(stackClientInput(options)), quiet, 'stack-acls').admin({ retries: 3 });
  try {
    await admin.connect();
    await admin.grantAcls(grants, PROPAGATION_TIMEOUT_MS);
  } catch (error) {
    throw new StackSecurityError(`Granting ACLs failed: ${error instanceof Error ? error.message : String(error)}`, error);
  } finally {
    await admin.close().catch(() => undefined);
  }
}
