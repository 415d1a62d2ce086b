/**
 * A small typed client for Toxiproxy's HTTP API (https://github.com/Shopify/toxiproxy#http-api):
 * proxies (listen → upstream) and the toxics that degrade them.
 */
import { SwitchboardError, ERRORS } from '../hub/errors/index.js';

/** A proxy: Toxiproxy listens on `listen` and forwards to `upstream`. */
export interface ToxiproxyProxy {
  readonly name: string;
  /** host:port Toxiproxy listens on, e.g. 127.0.0.1:21001. */
  readonly listen: string;
  /** host:port of the real server. */
  readonly upstream: string;
  readonly enabled: boolean;
}

/** Which way a toxic acts: on data towards the client (`downstream`) or towards the server (`upstream`). */
export type ToxicStream = 'upstream' | 'downstream';

/** The toxics this client speaks. */
export type Toxic =
  /** Delays data by `latency` ms, ± `jitter` ms. */
  | { readonly type: 'latency'; readonly attributes: { readonly latency: number; readonly jitter?: number } }
  /** Resets the connection (TCP RST) after `timeout` ms (0: at once). */
  | { readonly type: 'reset_peer'; readonly attributes: { readonly timeout: number } }
  /** Stops all data and closes the connection after `timeout` ms (0: never closes; data just stops). */
  | { readonly type: 'timeout'; readonly attributes: { readonly timeout: number } };

/** A toxic to add: its name (unique per proxy), stream and probability (`toxicity`, 0..1). */
export type ToxicSpec = Toxic & { readonly name: string; readonly stream?: ToxicStream; readonly toxicity?: number };

/** Toxiproxy answered an API call with an error status. */
export class ToxiproxyApiError extends SwitchboardError {
  readonly status: number;
  constructor(message: string, status: number) {
    super(ERRORS.STACK_TOXIPROXY.code, message);
    this.status = status;
  }
}

/**
 * @example
 * ```ts
 * const toxi = new ToxiproxyClient('http://127.0.0.1:8474');
 * await toxi.createProxy({ name: 'kafka', listen: '127.0.0.1:29092', upstream: '127.0.0.1:9092' });
 * await toxi.addToxic('kafka', { name: 'slow', type: 'latency', attributes: { latency: 500 } });
 * await toxi.removeToxic('kafka', 'slow');
 * await toxi.deleteProxy('kafka');
 * ```
 */
export class ToxiproxyClient {
  constructor(private readonly baseUrl: string) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
    const text = await response.text();
    if (!response.ok) throw new ToxiproxyApiError(`Toxiproxy ${method} ${path} answered ${response.status}: ${text.trim()}`, response.status);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** The server's version, e.g. `2.12.0`. */
  async version(): Promise<string> {
    const response = await fetch(`${this.baseUrl}/version`, { signal: AbortSignal.timeout(5000) });
    const text = (await response.text()).trim();
    return text.startsWith('{') ? (JSON.parse(text) as { version: string }).version : text;
  }

  /** Creates a proxy (enabled). Fails with status 409 when one of that name exists. */
  createProxy(proxy: { name: string; listen: string; upstream: string }): Promise<ToxiproxyProxy> {
    return this.call<ToxiproxyProxy>('POST', '/proxies', { ...proxy, enabled: true });
  }

  /** Every proxy by name. */
  proxies(): Promise<Record<string, ToxiproxyProxy>> {
    return this.call<Record<string, ToxiproxyProxy>>('GET', '/proxies');
  }

  /** Enables or disables a proxy (disabled: it refuses connections and drops open ones). */
  setEnabled(name: string, enabled: boolean): Promise<ToxiproxyProxy> {
    return this.call<ToxiproxyProxy>('POST', `/proxies/${encodeURIComponent(name)}`, { enabled });
  }

  deleteProxy(name: string): Promise<void> {
    return this.call<void>('DELETE', `/proxies/${encodeURIComponent(name)}`);
  }

  /** Adds a toxic; the stream defaults to `downstream`, toxicity to 1 (every connection). */
  addToxic(proxy: string, toxic: ToxicSpec): Promise<ToxicSpec> {
    return this.call<ToxicSpec>('POST', `/proxies/${encodeURIComponent(proxy)}/toxics`, { stream: 'downstream', toxicity: 1, ...toxic });
  }

  removeToxic(proxy: string, name: string): Promise<void> {
    return this.call<void>('DELETE', `/proxies/${encodeURIComponent(proxy)}/toxics/${encodeURIComponent(name)}`);
  }

  /** Removes every toxic and re-enables every proxy. */
  reset(): Promise<void> {
    return this.call<void>('POST', '/reset');
  }
}
