import { z } from 'zod';
import { loadAdminTokenFile } from '../admin/admin-config.js';
import { readTokenFile } from '../admin/local-admin-token.js';
import { loadConfig } from '../config/load-config.js';
import { ERRORS, SwitchboardError, isErrorCode, type ErrorCode } from '../errors/index.js';
import { exitCodeOfStatus } from './exit-codes.js';

/** Where the CLI finds the admin API and which token it presents. */
export interface AdminClientConfig {
  readonly url: string;
  /** Undefined: no token (the API answers 401). */
  readonly token: string | undefined;
}

/**
 * The CLI's admin API settings: `SWITCHBOARD_ADMIN_URL` (default http://127.0.0.1:8080) and the
 * token, from `--token`, else `SWITCHBOARD_TOKEN`, else the file `switchboard up` wrote
 * (`SWITCHBOARD_ADMIN_TOKEN_FILE`, default `.switchboard/admin-token`).
 *
 * @example
 * ```ts
 * const client = new AdminClient(loadAdminClientConfig(process.env, flags.token));
 * ```
 */
export function loadAdminClientConfig(env: NodeJS.ProcessEnv = process.env, tokenFlag?: string): AdminClientConfig {
  const config = loadConfig(
    'switchboard CLI',
    {
      SWITCHBOARD_ADMIN_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. http://127.0.0.1:8080' }).default('http://127.0.0.1:8080').describe('where the admin API (switchboard console) listens'),
      SWITCHBOARD_TOKEN: z.string().min(1).optional().describe('bearer token for the admin API'),
    },
    env,
  );
  return { url: config.SWITCHBOARD_ADMIN_URL.replace(/\/+$/, ''), token: tokenFlag ?? config.SWITCHBOARD_TOKEN ?? readTokenFile(loadAdminTokenFile(env)) };
}

/** The admin API answered with an error; `exitCode` says not found (3), not allowed (4) or failure (1). */
export class AdminApiError extends SwitchboardError {
  readonly exitCode: number;

  constructor(readonly status: number, code: ErrorCode, message: string, readonly field?: string) {
    super(code, message);
    this.exitCode = exitCodeOfStatus(status);
  }
}

/**
 * JSON calls to the admin API with the bearer token; an error answer throws AdminApiError with
 * the API's code and message, an unreachable API a retriable SWB_ERR_ADMIN_UNREACHABLE.
 *
 * @example
 * ```ts
 * const client = new AdminClient(loadAdminClientConfig());
 * const { connectors } = await client.get<{ connectors: ConnectorStatusView[] }>('/api/connectors');
 * ```
 */
export class AdminClient {
  constructor(private readonly config: AdminClientConfig, private readonly timeoutMs = 120_000) {}

  get<T>(path: string, query: Readonly<Record<string, string | number | undefined>> = {}): Promise<T> {
    const search = new URLSearchParams(Object.entries(query).filter(([, value]) => value !== undefined).map(([key, value]): [string, string] => [key, String(value)]));
    return this.call<T>('GET', `${path}${search.size > 0 ? `?${search}` : ''}`);
  }

  post<T>(path: string, body: Readonly<Record<string, unknown>> = {}): Promise<T> {
    return this.call<T>('POST', path, body);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.config.token !== undefined) headers.authorization = `Bearer ${this.config.token}`;
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.config.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(this.timeoutMs) });
      text = await response.text();
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new SwitchboardError(ERRORS.ADMIN_UNREACHABLE.code, `the admin API at ${this.config.url} does not answer (${cause}); start it with \`switchboard console\` (or \`switchboard up\`), or set SWITCHBOARD_ADMIN_URL`, { cause: error });
    }
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = text;
    }
    if (response.ok) return parsed as T;
    const error = (parsed as { error?: { code?: string; message?: string; field?: string } } | undefined)?.error;
    const code = error?.code !== undefined && isErrorCode(error.code) ? error.code : ERRORS.ADMIN_API_ERROR.code;
    const message = error?.message ?? `${method} ${path} answered ${response.status}: ${text.slice(0, 200)}`;
    throw new AdminApiError(response.status, code, `${message}${error?.field ? ` (field ${error.field})` : ''}`, error?.field);
  }
}
