import { request } from 'undici';
import { ERRORS, SwitchboardError } from '../../errors/index.js';

/** The token endpoint could not be reached, or refused the client: events wait and retry. */
export class TokenUnavailableError extends SwitchboardError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(ERRORS.SINK_TOKEN_UNAVAILABLE.code, message, options);
  }
}

/** The client of an OAuth2 client-credentials grant. */
export interface ClientCredentialsSettings {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Scopes, space-separated. */
  readonly scope?: string;
}

/** Settings of a {@link ClientCredentialsToken}. */
export interface ClientCredentialsOptions {
  /** Timeout of one token request in ms. Default 10 000. */
  readonly timeoutMs?: number;
  /** The clock; tests pass their own. Default Date.now. */
  readonly now?: () => number;
}

interface CachedToken {
  readonly value: string;
  /** Epoch ms after which the token is renewed: before it expires. */
  readonly renewAt: number;
}

/** Tokens without `expires_in` are taken to last this long (RFC 6749 leaves it to the server). */
const DEFAULT_LIFETIME_S = 3600;

/**
 * An OAuth2 access token of the client-credentials grant (RFC 6749 §4.4), cached and renewed
 * before it expires: a token is used until a fifth of its lifetime (at most 30 s) is left, so
 * a call never carries one that runs out on the way. Concurrent callers share one request to
 * the token endpoint. The client authenticates with HTTP basic (RFC 6749 §2.3.1).
 *
 * @example
 * ```ts
 * const token = new ClientCredentialsToken({ tokenUrl, clientId, clientSecret, scope: 'orders:write' });
 * headers.authorization = await token.authorization(); // 'Bearer eyJ...'
 * ```
 */
export class ClientCredentialsToken {
  private cached: CachedToken | undefined;
  private pending: Promise<CachedToken> | undefined;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  /** Token requests made so far (for status and tests). */
  requests = 0;

  constructor(private readonly settings: ClientCredentialsSettings, options: ClientCredentialsOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** `Bearer <token>`, from the cache while it is fresh, else from the token endpoint. */
  async authorization(): Promise<string> {
    const cached = this.cached;
    if (cached && this.now() < cached.renewAt) return `Bearer ${cached.value}`;
    this.pending ??= this.fetch().finally(() => {
      this.pending = undefined;
    });
    return `Bearer ${(await this.pending).value}`;
  }

  /** Forgets `authorization` if it is still the cached one (the target answered 401 to it). */
  invalidate(authorization: string): void {
    if (this.cached && `Bearer ${this.cached.value}` === authorization) this.cached = undefined;
  }

  private async fetch(): Promise<CachedToken> {
    const { tokenUrl, clientId, clientSecret, scope } = this.settings;
    const body = new URLSearchParams({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) }).toString();
    const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
    this.requests++;
    const asked = this.now();
    let status: number;
    let text: string;
    try {
      const response = await request(tokenUrl, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      status = response.statusCode;
      text = await response.body.text();
    } catch (error) {
      throw new TokenUnavailableError(`the token endpoint ${tokenUrl} could not be reached: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    let answer: { access_token?: unknown; token_type?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown } = {};
    try {
      answer = JSON.parse(text) as typeof answer;
    } catch {
      // Not JSON: reported below as a refusal.
    }
    if (status !== 200 || typeof answer.access_token !== 'string' || answer.access_token === '') {
      const reason = typeof answer.error === 'string' ? `${answer.error}${typeof answer.error_description === 'string' ? `: ${answer.error_description}` : ''}` : `no access_token in the answer`;
      throw new TokenUnavailableError(`the token endpoint ${tokenUrl} answered ${status} (${reason}) for client ${clientId}`);
    }
    if (typeof answer.token_type === 'string' && answer.token_type.toLowerCase() !== 'bearer') {
      throw new TokenUnavailableError(`the token endpoint ${tokenUrl} gave a ${answer.token_type} token; only bearer tokens are supported`);
    }
    const lifetimeMs = (typeof answer.expires_in === 'number' && answer.expires_in > 0 ? answer.expires_in : DEFAULT_LIFETIME_S) * 1000;
    // Counted from when the token was asked for: the answer's travel time is already spent.
    const token = { value: answer.access_token, renewAt: asked + lifetimeMs - Math.min(30_000, lifetimeMs / 5) };
    this.cached = token;
    return token;
  }
}
