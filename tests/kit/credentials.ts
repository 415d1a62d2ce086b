/**
 * The credentials of one test file: a token for every registered connector (with its scopes
 * from bin/service-credentials.ts) and for `operator`, provisioned once per test file into a
 * private temporary credentials file (mode 0600), exactly as `switchboard up` provisions them.
 * Services the kit starts require them, workers the kit starts send their connector's token, and
 * the kit's HTTP helpers send the operator's: auth stays on in tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CallerCredentials, TokenVerifier, ensureCredentialsFile, type CredentialsFile, type ServiceAuth } from '../../hub/auth/index.js';
import { OPERATOR_PRINCIPAL, servicePrincipals } from '../../bin/service-credentials.js';
import { CONNECTORS } from '../../connectors/index.js';

/** The provisioned credentials of this test file. */
export interface KitCredentials {
  /** The credentials file (`SWITCHBOARD_CREDENTIALS` of the processes the kit starts). */
  readonly path: string;
  readonly file: CredentialsFile;
  /** What services the kit starts in-process check: writes need a token with the route's scope. */
  readonly serviceAuth: ServiceAuth;
  /** What workers the kit starts send: each connector its own token. */
  readonly callers: CallerCredentials;
  /** `Bearer <token>` of `operator`, which people and tests seeding data use. */
  readonly operatorAuthorization: string;
  /** The environment that turns auth on in a child process (`startSystem`). */
  readonly env: Readonly<Record<string, string>>;
}

let provisioned: KitCredentials | undefined;

/**
 * The credentials of this test file, provisioned on first use.
 *
 * @example
 * ```ts
 * const { operatorAuthorization } = kitCredentials();
 * await fetch(`${erp.url}/products`, { method: 'POST', headers: { authorization: operatorAuthorization, ... }, body });
 * ```
 */
export function kitCredentials(): KitCredentials {
  if (provisioned) return provisioned;
  const dir = mkdtempSync(join(tmpdir(), 'swb-credentials-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'services.json');
  const file = ensureCredentialsFile(path, servicePrincipals(CONNECTORS.map((connector) => connector.name)));
  const callers = CallerCredentials.fromFile(file);
  const serviceAuth: ServiceAuth = { mode: 'required', reads: 'open', verifier: TokenVerifier.fromFile(file) };
  const credentials: KitCredentials = Object.freeze({
    path,
    file,
    serviceAuth,
    callers,
    operatorAuthorization: callers.authorization(OPERATOR_PRINCIPAL.name) as string,
    env: Object.freeze({ SWITCHBOARD_CREDENTIALS: path, SERVICE_AUTH: 'required' }),
  });
  provisioned = credentials;
  return credentials;
}
