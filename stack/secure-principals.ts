/**
 * Provisions the principals of a secure deployment on the running secure stack: one SCRAM user
 * each, their ACLs, and the files and environment each process logs in with. `switchboard up
 * --secure` and the testing kit both call this; the principals and grants come from
 * `kafkaPrincipals` (hub/security), never from a copy.
 */
import { join } from 'node:path';
import type { KafkaPrincipal } from '../hub/security/kafka-principals.js';
import { CLIENT_SASL_MECHANISM } from './kafka-security.js';
import { ensureAcls, ensureScramUser } from './secure-users.js';
import { localBrokers, secureSettings } from './secure-client.js';
import { writePrivateFile } from './secure-credentials.js';
import { StackSecurityError } from './stack-errors.js';
import type { StackOptions } from './stack-settings.js';
import { tlsFiles } from './tls.js';

/** SCRAM users added at once: each is a JVM (Kafka's ConfigCommand), and the machine is small. */
const USERS_AT_ONCE = 3;

/** What the processes of a secure deployment log in with. */
export interface ProvisionedPrincipals {
  /** `<stack dir>/secure/connectors.json` (mode 0600): each connector's login, for KAFKA_CONNECTOR_CREDENTIALS_FILE. */
  readonly connectorCredentialsFile: string;
  /** The KAFKA_* variables of `username` (TLS, the CA, SASL/SCRAM as that user): a process's whole Kafka identity. */
  envOf(username: string): NodeJS.ProcessEnv;
}

/**
 * Creates a SCRAM user for every principal (idempotent: an existing user keeps its password),
 * grants every principal's ACLs, and writes the connectors' logins file. Passwords stay in
 * `<stack dir>/secure/` (mode 0600) and in the environment handed to each process; never printed.
 *
 * @example
 * ```ts
 * const provisioned = await provisionKafkaPrincipals(kafkaPrincipals({ connectors, prefix: '' }), { dir: '/tmp/s' });
 * supervisor.start({ name: 'crm', args: ['service', 'crm'], env: { ...process.env, ...provisioned.envOf('svc-crm') } });
 * ```
 * @throws StackSecurityError when the stack is not secure or Kafka refuses a user or an ACL.
 */
export async function provisionKafkaPrincipals(principals: readonly KafkaPrincipal[], options: StackOptions = {}): Promise<ProvisionedPrincipals> {
  const settings = secureSettings(options);
  const passwords = new Map<string, string>();
  const queue = [...principals];
  await Promise.all(Array.from({ length: USERS_AT_ONCE }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) passwords.set(next.username, (await ensureScramUser(next.username, undefined, options)).password);
  }));
  await ensureAcls(principals.flatMap((principal) => principal.grants), options);

  const connectorCredentialsFile = join(settings.secureDir, 'connectors.json');
  const logins = Object.fromEntries(principals.filter((p) => p.role === 'connector').map((p) => [p.of, { username: p.username, password: passwords.get(p.username) }]));
  writePrivateFile(connectorCredentialsFile, `${JSON.stringify(logins, null, 2)}\n`);
  const caFile = tlsFiles(settings.tlsDir).caPem;
  const brokers = localBrokers(settings).join(',');
  return {
    connectorCredentialsFile,
    envOf: (username) => {
      const password = passwords.get(username);
      if (password === undefined) throw new StackSecurityError(`No principal ${username} was provisioned on this stack.`);
      return {
        KAFKA_BROKERS: brokers, KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: caFile,
        KAFKA_SASL_MECHANISM: CLIENT_SASL_MECHANISM, KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password,
      };
    },
  };
}
