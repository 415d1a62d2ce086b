import { defaultCredentialsPath, ensureCredentialsFile, type PrincipalSpec } from '../auth/index.js';

/**
 * Gives the processes `switchboard up` starts their credentials, in `env` (which they inherit):
 * the file named by SWITCHBOARD_CREDENTIALS as it is, or else `.switchboard/credentials/services.json`
 * below `cwd`, provisioned once (a token per principal, mode 0600; scopes follow `principals`).
 * Turns SERVICE_AUTH on unless it is set. Returns the file's path.
 *
 * @example
 * ```ts
 * await provisionCredentials(await parts.servicePrincipals()); // '/repo/.switchboard/credentials/services.json'
 * ```
 */
export async function provisionCredentials(principals: readonly PrincipalSpec[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<string> {
  if (!env.SWITCHBOARD_CREDENTIALS) {
    const path = defaultCredentialsPath(cwd);
    ensureCredentialsFile(path, principals);
    env.SWITCHBOARD_CREDENTIALS = path;
  }
  env.SERVICE_AUTH ??= 'required';
  return env.SWITCHBOARD_CREDENTIALS;
}
