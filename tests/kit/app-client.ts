import type { FastifyInstance } from 'fastify';

/** A request in the shape of fastify's `inject` options (the subset the service tests use). */
export interface TestRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string is sent as is. */
  payload?: unknown;
}

/** A response in the shape of `inject`'s. */
export interface TestResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  /** The body parsed as JSON, typed as `JSON.parse` types it (tests read arbitrary bodies). */
  json(): ReturnType<typeof JSON.parse>;
}

/**
 * Calls a fastify app over real HTTP on a loopback port. Service tests use it instead of
 * `app.inject`: fastify's inject (light-my-request) requires the ESM-only `cookie` package,
 * which Jest's CommonJS loader cannot load.
 */
export async function httpClient(app: FastifyInstance): Promise<(request: TestRequest) => Promise<TestResponse>> {
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  return async (request) => {
    const headers: Record<string, string> = { ...request.headers };
    let body: string | undefined;
    if (typeof request.payload === 'string') body = request.payload;
    else if (request.payload !== undefined) {
      body = JSON.stringify(request.payload);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${base}${request.url}`, { method: request.method, headers, body });
    const text = await response.text();
    return {
      statusCode: response.status,
      headers: Object.fromEntries(response.headers.entries()),
      body: text,
      json: () => JSON.parse(text),
    };
  };
}
