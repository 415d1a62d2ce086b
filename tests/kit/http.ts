/**
 * JSON over HTTP to a running service, the way a person or another system calls it: tests
 * seed and observe through the services' public routes, with the `operator` credential.
 */
import { kitCredentials } from './credentials.js';

/** An HTTP answer: status and parsed JSON body (undefined for an empty body). */
export interface JsonAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Headers;
}

/**
 * One JSON call as `operator` (the kit's credential for people); never throws for a 4xx/5xx
 * (the caller asserts on the status). An `authorization` header given replaces the operator's;
 * `authorization: ''` sends none.
 *
 * @example
 * ```ts
 * const answer = await callJson(erpUrl, 'PUT', '/accounts/C-1017', { name: 'Acme', segment: 'SMB' });
 * expect(answer.status).toBe(201);
 * expect((await callJson(erpUrl, 'POST', '/products', product, { authorization: '' })).status).toBe(401);
 * ```
 */
export async function callJson(baseUrl: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<JsonAnswer> {
  const { authorization = kitCredentials().operatorAuthorization, ...rest } = headers;
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(authorization === '' ? {} : { authorization }),
      ...rest,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown), headers: response.headers };
}

/** A JSON answer outside 2xx; the message carries the body so a failure says why. */
export class HttpStatusError extends Error {
  constructor(readonly status: number, readonly body: unknown, what: string) {
    super(`${what} answered ${status}: ${JSON.stringify(body)}`);
    this.name = 'HttpStatusError';
  }
}

/** JSON over HTTP to one service; every call resolves with the parsed body of a 2xx answer. */
export interface ServiceClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  put<T>(path: string, body: unknown): Promise<T>;
  patch<T>(path: string, body: unknown): Promise<T>;
  /** GET that resolves with undefined on 404 (for polling something not there yet). */
  find<T>(path: string): Promise<T | undefined>;
}

/**
 * A client of one service whose calls throw HttpStatusError unless the answer is 2xx; it calls
 * as `operator`.
 *
 * @example
 * ```ts
 * const crm = serviceClient(system.urls.crm);
 * const order = await crm.post<{ id: string }>('/orders', { customerId, lines });
 * ```
 */
export function serviceClient(baseUrl: string): ServiceClient {
  const call = async <T>(method: string, path: string, body?: unknown, allow404 = false): Promise<T | undefined> => {
    const answer = await callJson(baseUrl, method, path, body);
    if (allow404 && answer.status === 404) return undefined;
    if (answer.status < 200 || answer.status > 299) throw new HttpStatusError(answer.status, answer.body, `${method} ${baseUrl}${path}`);
    return answer.body as T;
  };
  return {
    get: async <T>(path: string) => (await call<T>('GET', path)) as T,
    post: async <T>(path: string, body: unknown = {}) => (await call<T>('POST', path, body)) as T,
    put: async <T>(path: string, body: unknown) => (await call<T>('PUT', path, body)) as T,
    patch: async <T>(path: string, body: unknown) => (await call<T>('PATCH', path, body)) as T,
    find: <T>(path: string) => call<T>('GET', path, undefined, true),
  };
}
