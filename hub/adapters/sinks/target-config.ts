import { z } from 'zod';
import { loadConfig } from '../../config/load-config.js';
import type { ExternalHttpTarget, PostgresTarget } from '../../sdk/types.js';

/**
 * The environment variable of one setting of a named target: `TARGET_<NAME>_<SETTING>`, the
 * name upper-cased with `_` for `-`.
 *
 * @example
 * ```ts
 * targetVariable('partner-api', 'CLIENT_SECRET'); // 'TARGET_PARTNER_API_CLIENT_SECRET'
 * ```
 */
export function targetVariable(name: string, setting: string): string {
  return `TARGET_${name.toUpperCase().replace(/-/g, '_')}_${setting}`;
}

/** How calls to an external HTTP target are authenticated, with the credentials from the environment. */
export type HttpTargetAuth =
  | { readonly kind: 'none' }
  | { readonly kind: 'bearer'; readonly token: string }
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  | { readonly kind: 'oauth2'; readonly tokenUrl: string; readonly clientId: string; readonly clientSecret: string; readonly scope?: string };

/** Where an external HTTP target is and how to authenticate to it. */
export interface HttpTargetSettings {
  /** Base URL without a trailing slash; action paths are appended. */
  readonly url: string;
  readonly auth: HttpTargetAuth;
}

const httpUrl = z
  .string()
  .regex(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, 'must be an http(s) URL, e.g. https://api.partner.example/v2')
  .transform((url) => url.replace(/\/+$/, ''));
const secret = z.string().min(1, 'must not be empty');

/**
 * Reads the URL and credentials of an external HTTP target through loadConfig: a missing or
 * malformed variable stops the worker at start, naming it. `TARGET_<NAME>_URL` always; then
 * `_TOKEN` (bearer), `_USERNAME` and `_PASSWORD` (basic), or `_TOKEN_URL`, `_CLIENT_ID`,
 * `_CLIENT_SECRET` and optionally `_SCOPE` (oauth2 client credentials).
 *
 * @example
 * ```ts
 * loadHttpTargetSettings({ kind: 'http', name: 'partner-api', auth: 'bearer' }, { TARGET_PARTNER_API_URL: 'https://p.example', TARGET_PARTNER_API_TOKEN: 't' });
 * // { url: 'https://p.example', auth: { kind: 'bearer', token: 't' } }
 * ```
 */
export function loadHttpTargetSettings(target: ExternalHttpTarget, env: NodeJS.ProcessEnv = process.env): HttpTargetSettings {
  const v = (setting: string) => targetVariable(target.name, setting);
  const shape: Record<string, z.ZodType> = { [v('URL')]: httpUrl.describe(`base URL of the ${target.name} API`) };
  if (target.auth === 'bearer') shape[v('TOKEN')] = secret.describe('the bearer token sent as Authorization: Bearer <token>');
  if (target.auth === 'basic') {
    shape[v('USERNAME')] = secret.describe('user name of HTTP basic authentication');
    shape[v('PASSWORD')] = secret.describe('password of HTTP basic authentication');
  }
  if (target.auth === 'oauth2') {
    shape[v('TOKEN_URL')] = httpUrl.describe('the OAuth2 token endpoint (client credentials grant)');
    shape[v('CLIENT_ID')] = secret.describe('the OAuth2 client id');
    shape[v('CLIENT_SECRET')] = secret.describe('the OAuth2 client secret');
    shape[v('SCOPE')] = z.string().optional().describe('scopes to ask for, space-separated');
  }
  const config = loadConfig(`target ${target.name}`, shape, env) as Record<string, string | undefined>;
  const read = (setting: string) => config[v(setting)] as string;
  const url = read('URL');
  switch (target.auth) {
    case 'bearer':
      return { url, auth: { kind: 'bearer', token: read('TOKEN') } };
    case 'basic':
      return { url, auth: { kind: 'basic', username: read('USERNAME'), password: read('PASSWORD') } };
    case 'oauth2': {
      const scope = config[v('SCOPE')];
      return { url, auth: { kind: 'oauth2', tokenUrl: read('TOKEN_URL'), clientId: read('CLIENT_ID'), clientSecret: read('CLIENT_SECRET'), ...(scope ? { scope } : {}) } };
    }
    default:
      return { url, auth: { kind: 'none' } };
  }
}

/**
 * Reads where a PostgreSQL target's database is: `TARGET_<NAME>_DATABASE_URL`.
 *
 * @example
 * ```ts
 * loadPostgresTargetSettings({ kind: 'postgres', name: 'reporting-db', table: 'orders' }, { TARGET_REPORTING_DB_DATABASE_URL: 'postgres://u:p@db/r' });
 * ```
 */
export function loadPostgresTargetSettings(target: PostgresTarget, env: NodeJS.ProcessEnv = process.env): { readonly databaseUrl: string } {
  const variable = targetVariable(target.name, 'DATABASE_URL');
  const config = loadConfig(`target ${target.name}`, {
    [variable]: z.string().regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// URL, e.g. postgres://user:password@host:5432/db').describe(`the database of the ${target.table} table`),
  }, env) as Record<string, string>;
  return { databaseUrl: config[variable] };
}
