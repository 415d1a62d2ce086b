import { openDatabase } from './database.js';
import { IdempotencyKeyReusedError, hashRequest, pruneIdempotencyKeys, withIdempotency } from './idempotency.js';
import { PLUMBING_MIGRATIONS } from './plumbing-migrations.js';

describe('withIdempotency', () => {
  it('runs once per key and replays the stored result', () => {
    const db = openDatabase(':memory:', PLUMBING_MIGRATIONS);
    let runs = 0;
    const fn = () => ({ statusCode: 201, body: { run: ++runs } });
    expect(withIdempotency(db, 'k1', { b: 1, a: 2 }, fn)).toEqual({ statusCode: 201, body: { run: 1 }, replayed: false });
    // Key order does not change the request's identity.
    expect(withIdempotency(db, 'k1', { a: 2, b: 1 }, fn)).toEqual({ statusCode: 201, body: { run: 1 }, replayed: true });
    expect(runs).toBe(1);
  });

  it('refuses the same key with a different request', () => {
    const db = openDatabase(':memory:', PLUMBING_MIGRATIONS);
    withIdempotency(db, 'k1', { a: 1 }, () => ({ statusCode: 200, body: null }));
    expect(() => withIdempotency(db, 'k1', { a: 2 }, () => ({ statusCode: 200, body: null }))).toThrow(IdempotencyKeyReusedError);
    try {
      withIdempotency(db, 'k1', { a: 2 }, () => ({ statusCode: 200, body: null }));
    } catch (error) {
      expect(error).toMatchObject({ code: 'SWB_ERR_IDEMPOTENCY_KEY_REUSED', statusCode: 422, field: 'Idempotency-Key', retriable: false });
    }
  });

  it('stores nothing when the command fails, so a retry runs again', () => {
    const db = openDatabase(':memory:', PLUMBING_MIGRATIONS);
    expect(() => withIdempotency(db, 'k1', {}, () => { throw new Error('dependency missing'); })).toThrow('dependency missing');
    expect(withIdempotency(db, 'k1', {}, () => ({ statusCode: 201, body: 'ok' }))).toMatchObject({ replayed: false, body: 'ok' });
  });

  it('prunes old keys and hashes canonically', () => {
    const db = openDatabase(':memory:', PLUMBING_MIGRATIONS);
    withIdempotency(db, 'old', {}, () => ({ statusCode: 200, body: null }));
    expect(pruneIdempotencyKeys(db, 1000, Date.now() + 5000)).toBe(1);
    expect(hashRequest({ a: [1, { c: 3, b: 2 }] })).toBe(hashRequest({ a: [1, { b: 2, c: 3 }] }));
    expect(hashRequest({ a: 1 })).not.toBe(hashRequest({ a: '1' }));
  });
});
