import { createHmac, timingSafeEqual } from 'node:crypto';
import { ERRORS } from '../../errors/index.js';
import { WebhookRefusedError } from './webhook-errors.js';

/** How a source signs its deliveries (the `signature` section of its file). */
export type SignatureSpec =
  /** Standard Webhooks (standardwebhooks.com, Svix): `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64>` over `id.timestamp.body`; secret `whsec_<base64>`. */
  | { readonly scheme: 'standard-webhooks'; readonly toleranceSeconds?: number }
  /** Stripe: `Stripe-Signature: t=<unix>,v1=<hex>` over `t.body`. */
  | { readonly scheme: 'stripe'; readonly toleranceSeconds?: number }
  /** Any HMAC-SHA256 with a signed timestamp, described by its headers and the signed content. */
  | {
      readonly scheme: 'hmac-sha256';
      readonly header: string;
      readonly timestampHeader: string;
      /** Header of the delivery id, when the signed content names `{id}`. */
      readonly idHeader?: string;
      readonly encoding?: 'hex' | 'base64';
      /** Text before the signature in its header, e.g. `sha256=`. */
      readonly prefix?: string;
      /** What is signed: `{timestamp}`, `{id}` and `{body}` in a template. Default `{timestamp}.{body}`. */
      readonly signedContent?: string;
      readonly toleranceSeconds?: number;
    };

/** What a valid signature vouches for. */
export interface VerifiedDelivery {
  /** The signed timestamp, epoch seconds. */
  readonly timestamp: number;
  /** The signed delivery id, for schemes that sign one. */
  readonly id?: string;
}

/** Headers as node gives them: lower-case names. */
export type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** Checks one source's signatures. */
export interface SignatureVerifier {
  /** Throws WebhookRefusedError (401) when the signature is missing or wrong or its timestamp is outside the tolerance. */
  verify(headers: RequestHeaders, body: Buffer, nowMs?: number): VerifiedDelivery;
}

/** Replays and delays beyond this are refused unless the source says otherwise (Stripe's default too). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

function header(headers: RequestHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function refuse(message: string): never {
  throw new WebhookRefusedError(ERRORS.WEBHOOK_SIGNATURE_INVALID.code, message);
}

function hmac(key: Buffer, content: Buffer): Buffer {
  return createHmac('sha256', key).update(content).digest();
}

/** Constant-time comparison of a received signature with the expected one. */
function matches(expected: Buffer, received: string, encoding: 'hex' | 'base64'): boolean {
  const bytes = Buffer.from(received, encoding);
  return bytes.length === expected.length && timingSafeEqual(bytes, expected);
}

function checkTimestamp(text: string | undefined, toleranceSeconds: number, nowMs: number): number {
  const timestamp = text !== undefined && /^\d{1,12}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isFinite(timestamp)) throw new WebhookRefusedError(ERRORS.WEBHOOK_TIMESTAMP_OUTSIDE_TOLERANCE.code, 'the delivery has no signed timestamp (unix seconds)');
  const skew = Math.abs(nowMs / 1000 - timestamp);
  if (skew > toleranceSeconds) {
    throw new WebhookRefusedError(ERRORS.WEBHOOK_TIMESTAMP_OUTSIDE_TOLERANCE.code, `the signed timestamp is ${Math.round(skew)} s from now; at most ${toleranceSeconds} s are accepted (a replay, or a clock that is off)`);
  }
  return timestamp;
}

/** The key bytes of a secret: Standard Webhooks secrets are `whsec_<base64>`, others are used as written. */
export function secretKey(spec: SignatureSpec, secret: string): Buffer {
  if (spec.scheme === 'standard-webhooks' && secret.startsWith('whsec_')) return Buffer.from(secret.slice('whsec_'.length), 'base64');
  return Buffer.from(secret, 'utf8');
}

/**
 * The verifier of a source's signing scheme with its secret. Every scheme signs a timestamp,
 * so a captured delivery replayed later than the tolerance is refused, whatever its signature.
 *
 * @example
 * ```ts
 * const verifier = signatureVerifier({ scheme: 'stripe' }, process.env.WEBHOOK_SHOP_SECRET);
 * verifier.verify(request.headers, rawBody); // throws a 401 WebhookRefusedError when wrong
 * ```
 */
export function signatureVerifier(spec: SignatureSpec, secret: string): SignatureVerifier {
  const key = secretKey(spec, secret);
  const tolerance = spec.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  switch (spec.scheme) {
    case 'standard-webhooks':
      return {
        verify(headers, body, nowMs = Date.now()) {
          const id = header(headers, 'webhook-id');
          const signatures = header(headers, 'webhook-signature');
          if (!id || !signatures) refuse('webhook-id or webhook-signature is missing');
          const timestamp = checkTimestamp(header(headers, 'webhook-timestamp'), tolerance, nowMs);
          const expected = hmac(key, Buffer.concat([Buffer.from(`${id}.${timestamp}.`), body]));
          const ok = signatures.split(' ').some((entry) => entry.startsWith('v1,') && matches(expected, entry.slice(3), 'base64'));
          if (!ok) refuse('webhook-signature does not match the body signed with the source\'s secret');
          return { timestamp, id };
        },
      };
    case 'stripe':
      return {
        verify(headers, body, nowMs = Date.now()) {
          const value = header(headers, 'stripe-signature');
          if (!value) refuse('Stripe-Signature is missing');
          const parts = value.split(',').map((part) => part.trim().split('=') as [string, string | undefined]);
          const timestamp = checkTimestamp(parts.find(([name]) => name === 't')?.[1], tolerance, nowMs);
          const expected = hmac(key, Buffer.concat([Buffer.from(`${timestamp}.`), body]));
          if (!parts.some(([name, signature]) => name === 'v1' && signature !== undefined && matches(expected, signature, 'hex'))) refuse('no v1 signature of Stripe-Signature matches the body signed with the source\'s secret');
          return { timestamp };
        },
      };
    case 'hmac-sha256': {
      const encoding = spec.encoding ?? 'hex';
      const template = spec.signedContent ?? '{timestamp}.{body}';
      return {
        verify(headers, body, nowMs = Date.now()) {
          let signature = header(headers, spec.header);
          if (!signature) refuse(`${spec.header} is missing`);
          if (spec.prefix) {
            if (!signature.startsWith(spec.prefix)) refuse(`${spec.header} does not start with ${spec.prefix}`);
            signature = signature.slice(spec.prefix.length);
          }
          const timestamp = checkTimestamp(header(headers, spec.timestampHeader), tolerance, nowMs);
          const id = spec.idHeader ? header(headers, spec.idHeader) : undefined;
          if (template.includes('{id}') && !id) refuse(`${spec.idHeader ?? 'the id header'} is missing`);
          const [before, after] = template.split('{body}') as [string, string | undefined];
          const fill = (text: string) => Buffer.from(text.replace(/\{timestamp\}/g, String(timestamp)).replace(/\{id\}/g, id ?? ''));
          const expected = hmac(key, Buffer.concat([fill(before), ...(after === undefined ? [] : [body, fill(after)])]));
          if (!matches(expected, signature.trim(), encoding)) refuse(`${spec.header} does not match the body signed with the source's secret`);
          return { timestamp, ...(id ? { id } : {}) };
        },
      };
    }
  }
}

/**
 * The headers a sender puts on a delivery under `spec`: what a source's system does, and what
 * tests and benchmarks sign with.
 *
 * @example
 * ```ts
 * const headers = signDelivery({ scheme: 'standard-webhooks' }, 'whsec_c2VjcmV0', body, { id: 'msg_1' });
 * await request(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
 * ```
 */
export function signDelivery(spec: SignatureSpec, secret: string, body: Buffer | string, options: { id?: string; timestamp?: number } = {}): Record<string, string> {
  const key = secretKey(spec, secret);
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const id = options.id ?? `msg_${timestamp}_${Math.random().toString(36).slice(2)}`;
  switch (spec.scheme) {
    case 'standard-webhooks':
      return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': `v1,${hmac(key, Buffer.concat([Buffer.from(`${id}.${timestamp}.`), bytes])).toString('base64')}` };
    case 'stripe':
      return { 'stripe-signature': `t=${timestamp},v1=${hmac(key, Buffer.concat([Buffer.from(`${timestamp}.`), bytes])).toString('hex')}` };
    case 'hmac-sha256': {
      const template = spec.signedContent ?? '{timestamp}.{body}';
      const [before, after] = template.split('{body}') as [string, string | undefined];
      const fill = (text: string) => Buffer.from(text.replace(/\{timestamp\}/g, String(timestamp)).replace(/\{id\}/g, id));
      const signature = hmac(key, Buffer.concat([fill(before), ...(after === undefined ? [] : [bytes, fill(after)])])).toString(spec.encoding ?? 'hex');
      return { [spec.header.toLowerCase()]: `${spec.prefix ?? ''}${signature}`, [spec.timestampHeader.toLowerCase()]: String(timestamp), ...(spec.idHeader ? { [spec.idHeader.toLowerCase()]: id } : {}) };
    }
  }
}
