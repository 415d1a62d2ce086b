/**
 * A tiny JSON client for the three services' public HTTP APIs, as the demo and the
 * end-to-end benchmark use them. A refused connection becomes a message that says which
 * service is not answering and how to start the system.
 */

import { existsSync } from 'node:fs';
import { defaultCredentialsPath, readCredentialsFile } from '../hub/auth/index.js';

export type ServiceName = 'crm' | 'erp' | 'scm';

/** Base URLs of the three services. */
export type ServiceUrls = Readonly<Record<ServiceName, string>>;

/** The URLs `switchboard up` prints, overridable with CRM_URL, ERP_URL and SCM_URL. */
export function serviceUrlsFromEnv(env: NodeJS.ProcessEnv = process.env): ServiceUrls {
  return {
    crm: env.CRM_URL ?? 'http://127.0.0.1:3001',
    erp: env.ERP_URL ?? 'http://127.0.0.1:3002',
    scm: env.SCM_URL ?? 'http://127.0.0.1:3003',
  };
}

/**
 * The `Authorization` header of people (the `operator` principal): its token from the credentials
 * file `SWITCHBOARD_CREDENTIALS`, else from the file `switchboard up` provisions
 * (`.switchboard/credentials/services.json`); undefined when there is none (SERVICE_AUTH=off).
 */
export function operatorAuthorizationFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const path = env.SWITCHBOARD_CREDENTIALS || defaultCredentialsPath();
  if (!existsSync(path)) return undefined;
  const token = readCredentialsFile(path).principals.operator?.token;
  return token === undefined ? undefined : `Bearer ${token}`;
}

/** One answer: the status and the parsed JSON body (undefined when empty). */
export interface Answer<T = unknown> {
  readonly status: number;
  readonly body: T;
}

/** A service did not answer at all (not running, wrong URL). */
export class ServiceUnreachableError extends Error {
  constructor(readonly service: ServiceName, readonly url: string, cause: unknown) {
    super(
      `the ${service.toUpperCase()} does not answer at ${url} (${cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : String(cause)}). ` +
        `Start the system first with \`npx switchboard up\` in another terminal, or point ${service.toUpperCase()}_URL at it.`,
    );
    this.name = 'ServiceUnreachableError';
  }
}

/** A service answered with a status the caller did not accept. */
export class UnexpectedAnswerError extends Error {
  constructor(readonly service: ServiceName, readonly method: string, readonly path: string, readonly answer: Answer) {
    super(`${service.toUpperCase()} ${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    this.name = 'UnexpectedAnswerError';
  }
}

export interface RequestOptions {
  /** Statuses besides 2xx the caller handles itself (e.g. 404 while a flow has not arrived, 409 for "exists"). */
  readonly accept?: readonly number[];
  readonly headers?: Record<string, string>;
  readonly timeoutMs?: number;
}

/** Calls the three services by name, with people's credential when there is one. */
export class Services {
  /** `authorization`: the `Authorization` header every call carries (`operatorAuthorizationFromEnv()`). */
  constructor(readonly urls: ServiceUrls, private readonly authorization?: string) {}

  async call<T = unknown>(service: ServiceName, method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<Answer<T>> {
    const url = `${this.urls[service]}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(this.authorization === undefined ? {} : { authorization: this.authorization }),
          ...options.headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
      });
    } catch (error) {
      throw new ServiceUnreachableError(service, this.urls[service], error);
    }
    const text = await response.text();
    const answer: Answer<T> = { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
    if (response.ok || options.accept?.includes(response.status)) return answer;
    throw new UnexpectedAnswerError(service, method, path, answer);
  }

  get<T = unknown>(service: ServiceName, path: string, options?: RequestOptions): Promise<Answer<T>> {
    return this.call<T>(service, 'GET', path, undefined, options);
  }

  post<T = unknown>(service: ServiceName, path: string, body: unknown, options?: RequestOptions): Promise<Answer<T>> {
    return this.call<T>(service, 'POST', path, body, options);
  }

  put<T = unknown>(service: ServiceName, path: string, body: unknown, options?: RequestOptions): Promise<Answer<T>> {
    return this.call<T>(service, 'PUT', path, body, options);
  }

  /** Fails with a clear message unless all three services answer `/readyz`. */
  async assertReachable(): Promise<void> {
    for (const service of ['crm', 'erp', 'scm'] as const) {
      const answer = await this.get(service, '/readyz', { accept: [503], timeoutMs: 5000 });
      if (answer.status !== 200) throw new Error(`the ${service.toUpperCase()} at ${this.urls[service]} is not ready yet (${answer.status}); wait a moment and retry`);
    }
  }
}

/** Polls `probe` every `intervalMs` until it returns a value, or throws `what` after `timeoutMs`. */
export async function waitUntil<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 60_000, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}; are the connectors running (\`switchboard up\` starts them)?`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
