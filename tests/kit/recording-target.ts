import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the target received. */
export interface RecordedCall {
  readonly method: string;
  readonly path: string;
  readonly idempotencyKey: string | undefined;
  readonly correlationId: string | undefined;
  readonly traceparent: string | undefined;
  readonly body: unknown;
  /** The Authorization header sent. */
  readonly authorization: string | undefined;
  /** When the target received it, epoch ms. */
  readonly at: number;
  /** False when the key was seen before and the stored answer was replayed. */
  readonly applied: boolean;
  readonly status: number;
}

/** How the target answers the next requests: a status (with headers, e.g. Retry-After) to return N times, or the connection dropped. */
type Script = ({ status: number; headers?: Record<string, string> } | { drop: true }) & { times: number; pathPrefix?: string };

/** A target protected by OAuth2 client credentials: it serves its own token endpoint and takes only its live tokens. */
export interface OAuth2Protection {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Lifetime of the tokens it issues (`expires_in`). Default 3600. */
  readonly tokenLifetimeSeconds?: number;
}

/** The body an applied request is answered with (status 201); `id` is the target's running number, e.g. `T-7`. */
export type ResponseBody = (request: { readonly method: string; readonly path: string; readonly body: unknown; readonly id: string }) => unknown;

/**
 * A tiny real HTTP target for connector tests, deduplicating like Switchboard's services: the
 * first request with an `Idempotency-Key` is applied and its answer stored; a repeat gets the
 * stored answer and is not applied again. `effects()` are the applied requests, so a test
 * asserts "exactly once" by counting them. Failures are scripted with `failNext`. Applied
 * requests are answered 201 with `{ id, received }`, or with what `respond` builds (the fields
 * a connector reads from its target's answer, such as an account number).
 *
 * @example
 * ```ts
 * const target = await RecordingTarget.start();
 * target.failNext(3, 503);
 * // ... run the connector against target.url ...
 * expect(target.effects()).toHaveLength(1);
 * await target.close();
 * ```
 */
export class RecordingTarget {
  readonly calls: RecordedCall[] = [];
  private readonly stored = new Map<string, { status: number; body: unknown }>();
  private scripts: Script[] = [];
  private delayMs = 0;
  private counter = 0;
  private active = 0;
  /** Live tokens of the OAuth2 protection, with when they expire. */
  private readonly tokens = new Map<string, number>();
  /** Requests its token endpoint received (OAuth2 protection only). */
  tokenRequests = 0;

  private constructor(private readonly server: Server, readonly url: string, private readonly respond: ResponseBody | undefined, private readonly oauth2: OAuth2Protection | undefined) {}

  /** `oauth2`: every request needs a bearer token from `tokenUrl` (client credentials), else 401. */
  static async start(options: { respond?: ResponseBody; oauth2?: OAuth2Protection } = {}): Promise<RecordingTarget> {
    const holder: { target?: RecordingTarget } = {};
    const server = createServer((request, response) => {
      void holder.target?.handle(request, response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    holder.target = new RecordingTarget(server, `http://127.0.0.1:${port}`, options.respond, options.oauth2);
    return holder.target;
  }

  /** The token endpoint of the OAuth2 protection. */
  get tokenUrl(): string {
    return `${this.url}/oauth/token`;
  }

  /**
   * The next `times` requests (to paths starting with `pathPrefix`, if given) fail with `status`
   * (and `headers`, e.g. `{ 'retry-after': '1' }`), or a dropped connection with 'drop'.
   */
  failNext(times: number, status: number | 'drop', pathPrefix?: string, headers?: Record<string, string>): void {
    this.scripts.push(status === 'drop' ? { drop: true, times, pathPrefix } : { status, times, pathPrefix, ...(headers ? { headers } : {}) });
  }

  /** Ends every token issued so far (as a server restart or a revocation would): the next calls with them get 401. */
  revokeTokens(): void {
    this.tokens.clear();
  }

  /** Every applied request waits this long before answering (to keep work in flight). */
  setDelay(ms: number): void {
    this.delayMs = ms;
  }

  /** Requests received and not answered yet. */
  get inFlight(): number {
    return this.active;
  }

  /** Applied requests (first of each idempotency key), in the order applied. */
  effects(): RecordedCall[] {
    return this.calls.filter((call) => call.applied);
  }

  /** Applied requests whose path starts with `prefix`. */
  effectsOn(prefix: string): RecordedCall[] {
    return this.effects().filter((call) => call.path.startsWith(prefix));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.active++;
    try {
      await this.apply(request, response);
    } finally {
      this.active--;
    }
  }

  private async apply(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const header = (name: string) => (typeof request.headers[name] === 'string' ? (request.headers[name] as string) : undefined);
    if (this.oauth2 && request.url === '/oauth/token') {
      this.issueToken(header('authorization'), text, response);
      return;
    }
    const body: unknown = text ? JSON.parse(text) : undefined;
    const base = {
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      idempotencyKey: header('idempotency-key'),
      correlationId: header('x-correlation-id'),
      traceparent: header('traceparent'),
      authorization: header('authorization'),
      at: Date.now(),
      body,
    };
    if (this.oauth2) {
      const expires = this.tokens.get((base.authorization ?? '').replace(/^Bearer /, ''));
      if (!base.authorization?.startsWith('Bearer ') || expires === undefined || expires <= Date.now()) {
        this.calls.push({ ...base, applied: false, status: 401 });
        this.answer(response, 401, { error: 'invalid_token' });
        return;
      }
    }
    const script = this.scripts.find((candidate) => !candidate.pathPrefix || base.path.startsWith(candidate.pathPrefix));
    if (script) {
      script.times--;
      if (script.times <= 0) this.scripts.splice(this.scripts.indexOf(script), 1);
      if ('drop' in script) {
        this.calls.push({ ...base, applied: false, status: 0 });
        request.socket.destroy();
        return;
      }
      this.calls.push({ ...base, applied: false, status: script.status });
      this.answer(response, script.status, { code: 'SCRIPTED', message: `scripted ${script.status}` }, script.headers);
      return;
    }
    const stored = base.idempotencyKey ? this.stored.get(base.idempotencyKey) : undefined;
    if (stored) {
      this.calls.push({ ...base, applied: false, status: stored.status });
      this.answer(response, stored.status, stored.body);
      return;
    }
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    // Re-check after the delay: a concurrent duplicate may have been applied meanwhile.
    const raced = base.idempotencyKey ? this.stored.get(base.idempotencyKey) : undefined;
    if (raced) {
      this.calls.push({ ...base, applied: false, status: raced.status });
      this.answer(response, raced.status, raced.body);
      return;
    }
    const id = `T-${++this.counter}`;
    const result = { status: 201, body: this.respond ? this.respond({ method: base.method, path: base.path, body, id }) : { id, received: body } };
    if (base.idempotencyKey) this.stored.set(base.idempotencyKey, result);
    this.calls.push({ ...base, applied: true, status: result.status });
    this.answer(response, result.status, result.body);
  }

  private answer(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  }

  /** The client-credentials grant: the client in basic authentication, a new token with its lifetime. */
  private issueToken(authorization: string | undefined, form: string, response: ServerResponse): void {
    this.tokenRequests++;
    const { clientId, clientSecret, tokenLifetimeSeconds = 3600 } = this.oauth2 as OAuth2Protection;
    const client = Buffer.from((authorization ?? '').replace(/^Basic /, ''), 'base64').toString('utf8');
    if (client !== `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}` || new URLSearchParams(form).get('grant_type') !== 'client_credentials') {
      this.answer(response, 401, { error: 'invalid_client' });
      return;
    }
    const token = `tok-${this.tokenRequests}-${Math.random().toString(36).slice(2)}`;
    this.tokens.set(token, Date.now() + tokenLifetimeSeconds * 1000);
    this.answer(response, 200, { access_token: token, token_type: 'Bearer', expires_in: tokenLifetimeSeconds });
  }
}
