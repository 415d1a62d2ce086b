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
  /** False when the key was seen before and the stored answer was replayed. */
  readonly applied: boolean;
  readonly status: number;
}

/** How the target answers the next requests: a status to return N times (e.g. 503, 400), or the connection dropped. */
type Script = ({ status: number } | { drop: true }) & { times: number; pathPrefix?: string };

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

  private constructor(private readonly server: Server, readonly url: string, private readonly respond: ResponseBody | undefined) {}

  static async start(options: { respond?: ResponseBody } = {}): Promise<RecordingTarget> {
    const holder: { target?: RecordingTarget } = {};
    const server = createServer((request, response) => {
      void holder.target?.handle(request, response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    holder.target = new RecordingTarget(server, `http://127.0.0.1:${port}`, options.respond);
    return holder.target;
  }

  /** The next `times` requests (to paths starting with `pathPrefix`, if given) fail with `status`, or a dropped connection with 'drop'. */
  failNext(times: number, status: number | 'drop', pathPrefix?: string): void {
    this.scripts.push(status === 'drop' ? { drop: true, times, pathPrefix } : { status, times, pathPrefix });
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
    const body: unknown = text ? JSON.parse(text) : undefined;
    const header = (name: string) => (typeof request.headers[name] === 'string' ? (request.headers[name] as string) : undefined);
    const base = {
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      idempotencyKey: header('idempotency-key'),
      correlationId: header('x-correlation-id'),
      traceparent: header('traceparent'),
      body,
    };
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
      this.answer(response, script.status, { code: 'SCRIPTED', message: `scripted ${script.status}` });
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

  private answer(response: ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  }
}
