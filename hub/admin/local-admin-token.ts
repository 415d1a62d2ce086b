import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { TokenStore } from './token-store.js';

/** The name of the token `switchboard up` issues for the person at this machine. */
export const LOCAL_ADMIN_TOKEN_NAME = 'local-admin';

/**
 * Makes sure this machine's operator has an admin token: when `tokenFile` holds no token the
 * tokens file knows, issues one (replacing an earlier `local-admin` entry) and writes it to
 * `tokenFile`, readable by the user only (0600). The token is never printed or logged; callers
 * print the path.
 *
 * @example
 * ```ts
 * const { created, path } = ensureLocalAdminToken('.switchboard/tokens.json', '.switchboard/admin-token');
 * console.log(`admin token ${created ? 'written to' : 'in'} ${path}`);
 * ```
 */
export function ensureLocalAdminToken(tokensFile: string, tokenFile: string): { created: boolean; path: string } {
  const store = TokenStore.fromFile(tokensFile);
  const existing = readTokenFile(tokenFile);
  if (existing !== undefined && store.authenticate(existing)?.role === 'admin') return { created: false, path: tokenFile };
  if (store.list().some((entry) => entry.name === LOCAL_ADMIN_TOKEN_NAME)) store.revoke(LOCAL_ADMIN_TOKEN_NAME);
  const { token } = store.create(LOCAL_ADMIN_TOKEN_NAME, 'admin');
  mkdirSync(dirname(tokenFile), { recursive: true, mode: 0o700 });
  writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
  chmodSync(tokenFile, 0o600);
  return { created: true, path: tokenFile };
}

/** The token in `file`, or undefined when the file is missing or empty. */
export function readTokenFile(file: string): string | undefined {
  try {
    const token = readFileSync(file, 'utf8').trim();
    return token === '' ? undefined : token;
  } catch {
    return undefined;
  }
}
