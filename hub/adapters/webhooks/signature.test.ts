import { ERRORS } from '../../errors/index.js';
import { signDelivery, signatureVerifier, type SignatureSpec } from './signature.js';

const body = Buffer.from('{"type":"order.created","data":{"id":1}}');
const now = Date.parse('2026-01-01T12:00:00Z');
const at = Math.floor(now / 1000);

const SCHEMES: readonly [string, SignatureSpec, string][] = [
  ['Standard Webhooks', { scheme: 'standard-webhooks' }, 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
  ['Stripe', { scheme: 'stripe' }, 'whsec_stripe-style-secret-0123'],
  ['HMAC-SHA256 as GitHub writes it, with a timestamp', { scheme: 'hmac-sha256', header: 'X-Hub-Signature-256', timestampHeader: 'X-Timestamp', prefix: 'sha256=' }, 'a-github-like-secret-value'],
  ['HMAC-SHA256 in base64 over id, timestamp and body', { scheme: 'hmac-sha256', header: 'X-Sig', timestampHeader: 'X-Ts', idHeader: 'X-Id', encoding: 'base64', signedContent: '{id}:{timestamp}:{body}' }, 'another-secret-value-0001'],
];

describe.each(SCHEMES)('signatures: %s', (_name, spec, secret) => {
  const verifier = signatureVerifier(spec, secret);
  const headers = signDelivery(spec, secret, body, { id: 'msg_1', timestamp: at });

  it('accepts a delivery signed with the secret within the tolerance', () => {
    expect(verifier.verify(headers, body, now).timestamp).toBe(at);
    expect(verifier.verify(headers, body, now + 299_000).timestamp).toBe(at);
  });

  it('refuses another body, another secret and a missing signature with 401', () => {
    expect(() => verifier.verify(headers, Buffer.from('{"type":"order.created","data":{"id":2}}'), now)).toThrow(expect.objectContaining({ code: ERRORS.WEBHOOK_SIGNATURE_INVALID.code, statusCode: 401 }));
    expect(() => verifier.verify(signDelivery(spec, `${secret.slice(0, -2)}AA`, body, { id: 'msg_1', timestamp: at }), body, now)).toThrow(expect.objectContaining({ code: ERRORS.WEBHOOK_SIGNATURE_INVALID.code }));
    expect(() => verifier.verify({}, body, now)).toThrow(expect.objectContaining({ statusCode: 401 }));
  });

  it('refuses a replay later than the tolerance, and a timestamp from the future, though the signature is right', () => {
    expect(() => verifier.verify(headers, body, now + 301_000)).toThrow(expect.objectContaining({ code: ERRORS.WEBHOOK_TIMESTAMP_OUTSIDE_TOLERANCE.code, statusCode: 401 }));
    expect(() => verifier.verify(headers, body, now - 301_000)).toThrow(expect.objectContaining({ code: ERRORS.WEBHOOK_TIMESTAMP_OUTSIDE_TOLERANCE.code }));
  });
});

describe('signatures: the signed timestamp', () => {
  it('cannot be moved without breaking the signature (Standard Webhooks signs id and timestamp)', () => {
    const spec: SignatureSpec = { scheme: 'standard-webhooks' };
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const headers = signDelivery(spec, secret, body, { id: 'msg_1', timestamp: at - 3600 });
    expect(() => signatureVerifier(spec, secret).verify({ ...headers, 'webhook-timestamp': String(at) }, body, now)).toThrow(expect.objectContaining({ code: ERRORS.WEBHOOK_SIGNATURE_INVALID.code }));
  });
});
