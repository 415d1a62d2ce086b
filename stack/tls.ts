/**
 * The local certificate authority and the broker certificate of a secure stack, made once with
 * openssl (keys, certificates, the PKCS12 keystore) and the JDK's keytool (the PKCS12
 * truststore Java trusts), and reused on later starts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { StackStartError } from './stack-errors.js';

/** Subject of the broker certificate; also the mTLS principal (`User:CN=switchboard-broker`) on the controller listener. */
export const BROKER_CERT_SUBJECT = 'CN=switchboard-broker';

/** The files of a stack's TLS folder. */
export interface TlsFiles {
  /** PEM of the local CA: what Node clients trust (`ssl: { ca: [readFileSync(caPem)] }`). */
  readonly caPem: string;
  readonly caKey: string;
  readonly brokerPem: string;
  readonly brokerKey: string;
  /** PKCS12 keystore of the broker: its key, certificate and the CA. */
  readonly keystore: string;
  /** PKCS12 truststore holding the CA, for the brokers and Java tools. */
  readonly truststore: string;
}

/** Where the TLS material of a stack lives (`<stack dir>/tls`). */
export function tlsFiles(tlsDir: string): TlsFiles {
  return {
    caPem: join(tlsDir, 'ca.pem'),
    caKey: join(tlsDir, 'ca.key'),
    brokerPem: join(tlsDir, 'broker.pem'),
    brokerKey: join(tlsDir, 'broker.key'),
    keystore: join(tlsDir, 'broker.keystore.p12'),
    truststore: join(tlsDir, 'truststore.p12'),
  };
}

/** The broker certificate's extensions: loopback names, usable as server and as client (mTLS). */
export const BROKER_CERT_EXTENSIONS = [
  'basicConstraints=CA:FALSE',
  'keyUsage=critical,digitalSignature,keyEncipherment',
  'extendedKeyUsage=serverAuth,clientAuth',
  'subjectAltName=IP:127.0.0.1,DNS:localhost',
].join('\n');

/** keytool of the JDK whose java runs the broker (beside it), else the one on the PATH. */
export function keytoolBeside(java: string): string {
  return java.includes('/') ? join(dirname(java), 'keytool') : 'keytool';
}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): void {
  const result = spawnSync(command, [...args], { cwd, env, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new StackStartError(`${basename(command)} ${args[0]} failed while making the stack's TLS material in ${cwd}:\n${`${result.stderr ?? ''}${result.error ?? ''}`.trim()}`, result.error);
  }
}

/**
 * Makes the CA, the broker key and certificate (SANs 127.0.0.1 and localhost, signed by the
 * CA) and the PKCS12 keystore and truststore protected by `storePassword`, unless a previous
 * start made them. The password reaches openssl and keytool through the environment, never the
 * command line.
 *
 * @example
 * ```ts
 * const tls = ensureTlsMaterial('/s/tls', credentials.storePassword, '/usr/bin/java', console.error);
 * tls.caPem; // '/s/tls/ca.pem'
 * ```
 * @throws StackStartError when openssl or keytool fails.
 */
export function ensureTlsMaterial(tlsDir: string, storePassword: string, java: string, progress: (line: string) => void): TlsFiles {
  const files = tlsFiles(tlsDir);
  const marker = join(tlsDir, '.complete');
  if (existsSync(marker)) return files;
  progress(`Making a local CA and the broker certificate in ${tlsDir} ...`);
  rmSync(tlsDir, { recursive: true, force: true });
  mkdirSync(tlsDir, { recursive: true, mode: 0o700 });
  const env = { ...process.env, SWB_STORE_PASSWORD: storePassword };
  const extensions = join(tlsDir, 'broker.ext');
  writeFileSync(extensions, `${BROKER_CERT_EXTENSIONS}\n`);
  run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', files.caKey, '-out', files.caPem, '-days', '3650', '-subj', '/CN=Switchboard local CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], tlsDir, env);
  run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', files.brokerKey, '-out', join(tlsDir, 'broker.csr'), '-subj', `/${BROKER_CERT_SUBJECT}`], tlsDir, env);
  run('openssl', ['x509', '-req', '-in', join(tlsDir, 'broker.csr'), '-CA', files.caPem, '-CAkey', files.caKey, '-CAcreateserial', '-out', files.brokerPem, '-days', '825', '-sha256', '-extfile', extensions], tlsDir, env);
  run('openssl', ['pkcs12', '-export', '-in', files.brokerPem, '-inkey', files.brokerKey, '-certfile', files.caPem, '-name', 'broker', '-out', files.keystore, '-passout', 'env:SWB_STORE_PASSWORD'], tlsDir, env);
  run(keytoolBeside(java), ['-importcert', '-noprompt', '-alias', 'switchboard-ca', '-file', files.caPem, '-keystore', files.truststore, '-storetype', 'PKCS12', '-storepass:env', 'SWB_STORE_PASSWORD'], tlsDir, env);
  writeFileSync(marker, `${new Date().toISOString()}\n`);
  return files;
}
