import { join } from 'node:path';
import { z } from 'zod';
import { loadConfig } from '../config/load-config.js';
import { ConfigError } from '../errors/index.js';
import { CredentialsFileError, readCredentialsFile, type CredentialsFile } from './credentials-file.js';
import { TokenVerifier } from './token-verifier.js';

/** Where `switchboard up` provisions the local credentials file (below the working directory). */
export function defaultCredentialsPath(cwd = process.cwd()): string {
  return join(cwd, '.switchboard', 'credentials', 'services.json');
}

/**
 * How a service checks its callers. `off`: nobody is asked (local development). `required`:
 * every write needs a bearer token with the route's scope; reads too when `reads` is `required`
 * (any valid token may read).
 */
export type ServiceAuth =
  | { readonly mode: 'off' }
  | { readonly mode: 'required'; readonly reads: 'open' | 'required'; readonly verifier: TokenVerifier };

const CREDENTIALS_VARIABLE = 'SWITCHBOARD_CREDENTIALS';

function readFileAsConfig(path: string): CredentialsFile {
  try {
    return readCredentialsFile(path);
  } catch (error) {
    if (error instanceof CredentialsFileError) throw new ConfigError(`${CREDENTIALS_VARIABLE}: ${error.message}`);
    throw error;
  }
}

/**
 * A service's caller checks, from `SERVICE_AUTH` (`off` or `required`, default `off`),
 * `SERVICE_AUTH_READS` (`open` or `required`, default `open`) and `SWITCHBOARD_CREDENTIALS`
 * (the credentials file, needed when auth is required).
 *
 * @example
 * ```ts
 * loadServiceAuth({ SERVICE_AUTH: 'required', SWITCHBOARD_CREDENTIALS: '.switchboard/credentials/services.json' }).mode; // 'required'
 * ```
 */
export function loadServiceAuth(env: NodeJS.ProcessEnv = process.env): ServiceAuth {
  const config = loadConfig(
    'service auth',
    {
      SERVICE_AUTH: z.enum(['off', 'required']).default('off').describe('off, or required: writes need a bearer token with the route\'s scope'),
      SERVICE_AUTH_READS: z.enum(['open', 'required']).default('open').describe('open, or required: reads need a valid bearer token too'),
      [CREDENTIALS_VARIABLE]: z.string().min(1).optional().describe('path of the credentials file (switchboard up writes .switchboard/credentials/services.json)'),
    },
    env,
    (value) => (value.SERVICE_AUTH === 'required' && !value[CREDENTIALS_VARIABLE]
      ? [{ variable: CREDENTIALS_VARIABLE, message: 'is required when SERVICE_AUTH=required' }]
      : []),
  );
  if (config.SERVICE_AUTH === 'off') return { mode: 'off' };
  const file = readFileAsConfig(config[CREDENTIALS_VARIABLE] as string);
  return { mode: 'required', reads: config.SERVICE_AUTH_READS, verifier: TokenVerifier.fromFile(file) };
}

/**
 * The tokens a process sends when it calls the systems, by principal (a connector sends the
 * one named after it). Never shows a token when logged or printed.
 *
 * @example
 * ```ts
 * const credentials = loadCallerCredentials();
 * credentials.authorization('crm-order-to-erp'); // 'Bearer swb_…', or undefined without a file
 * ```
 */
export class CallerCredentials {
  static readonly none = new CallerCredentials({});

  private readonly tokens: ReadonlyMap<string, string>;

  constructor(tokens: Readonly<Record<string, string>>) {
    this.tokens = new Map(Object.entries(tokens));
  }

  /** The callers of a credentials file that hold a token (not those with only a digest). */
  static fromFile(file: CredentialsFile): CallerCredentials {
    return new CallerCredentials(Object.fromEntries(Object.entries(file.principals).flatMap(([name, entry]) => (entry.token ? [[name, entry.token]] : []))));
  }

  /** The `Authorization` header value of `principal`, or undefined when it has no token. */
  authorization(principal: string): string | undefined {
    const token = this.tokens.get(principal);
    return token === undefined ? undefined : `Bearer ${token}`;
  }

  /** The principals that have a token. */
  principals(): string[] {
    return [...this.tokens.keys()];
  }

  toJSON(): { principals: string[] } {
    return { principals: this.principals() };
  }
}

/**
 * The callers' tokens from `SWITCHBOARD_CREDENTIALS`; none when it is unset (the services then
 * run with SERVICE_AUTH=off, or refuse the calls with 401).
 */
export function loadCallerCredentials(env: NodeJS.ProcessEnv = process.env): CallerCredentials {
  const config = loadConfig('caller credentials', {
    [CREDENTIALS_VARIABLE]: z.string().min(1).optional().describe('path of the credentials file whose tokens this process sends'),
  }, env);
  const path = config[CREDENTIALS_VARIABLE];
  return path ? CallerCredentials.fromFile(readFileAsConfig(path)) : CallerCredentials.none;
}
