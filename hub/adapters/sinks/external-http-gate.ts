import type { AnswerVerdict } from '../../sdk/types.js';
import type { TargetGate } from '../../runtime/http-caller.js';
import { ClientCredentialsToken } from './oauth2-client.js';
import { RateLimiter, retryAfterMs } from './rate-limiter.js';
import type { HttpTargetAuth } from './target-config.js';

/** Settings of an {@link ExternalHttpGate}. */
export interface ExternalHttpGateOptions {
  readonly auth: HttpTargetAuth;
  /** Calls per second at most, and the burst; none: no limit. */
  readonly rateLimit?: { readonly perSecond: number; readonly burst?: number };
  /** The longest a call waits for its slot or a Retry-After pause before it fails retriably (the call's own timeout). */
  readonly maxWaitMs: number;
  /** The clock; tests pass their own. Default Date.now. */
  readonly now?: () => number;
}

/**
 * The gate of one external HTTP target in this process (every connector calling it shares
 * it): the `Authorization` header of its authentication (an OAuth2 token cached and renewed
 * before it expires), its rate limit, and the pauses its `Retry-After` answers ask for (on 429
 * and 503, also when the answer is otherwise retried by the defaults). A 401 to an OAuth2 token
 * drops that token and retries the event with a new one.
 *
 * @example
 * ```ts
 * const gate = new ExternalHttpGate({ auth: settings.auth, rateLimit: { perSecond: 20 }, maxWaitMs: 10_000 });
 * await callTarget({ baseUrl: settings.url, timeoutMs: 10_000, gate, action, idempotencyKey, cause });
 * ```
 */
export class ExternalHttpGate implements TargetGate {
  private readonly limiter: RateLimiter;
  private readonly token: ClientCredentialsToken | undefined;
  private readonly fixedHeaders: Readonly<Record<string, string>>;
  private readonly now: () => number;

  constructor(private readonly options: ExternalHttpGateOptions) {
    this.now = options.now ?? Date.now;
    this.limiter = new RateLimiter({ ...options.rateLimit, now: this.now });
    const { auth } = options;
    this.token = auth.kind === 'oauth2' ? new ClientCredentialsToken(auth, { timeoutMs: options.maxWaitMs, now: this.now }) : undefined;
    this.fixedHeaders =
      auth.kind === 'bearer' ? { authorization: `Bearer ${auth.token}` }
        : auth.kind === 'basic' ? { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` }
          : {};
  }

  /** Requests made to the token endpoint so far (0 without OAuth2). */
  get tokenRequests(): number {
    return this.token?.requests ?? 0;
  }

  async admit(): Promise<Readonly<Record<string, string>>> {
    await this.limiter.take(this.options.maxWaitMs);
    return this.token ? { authorization: await this.token.authorization() } : this.fixedHeaders;
  }

  answered(status: number, headers: Readonly<Record<string, string | string[] | undefined>>, sent: Readonly<Record<string, string>>): AnswerVerdict {
    if (status === 429 || status === 503) {
      const wait = retryAfterMs(headers['retry-after'], this.now());
      if (wait !== undefined) this.limiter.pauseUntil(this.now() + wait);
    }
    if (status === 401 && this.token && sent.authorization) {
      this.token.invalidate(sent.authorization);
      return 'retriable';
    }
    return undefined;
  }
}
