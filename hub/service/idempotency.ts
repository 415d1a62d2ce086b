import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { ERRORS } from '../errors/index.js';
import { BusinessRuleError } from './errors.js';

/** A command's answer, stored with its idempotency key and replayed to repeats. */
export interface CommandResult {
  statusCode: number;
  body: unknown;
}

/** What `withIdempotency` returns: the result, and whether it is a stored one. */
export interface IdempotentResult extends CommandResult {
  replayed: boolean;
}

/** The same Idempotency-Key was sent with a different request; refused with 422. */
export class IdempotencyKeyReusedError extends BusinessRuleError {
  constructor(key: string) {
    super(ERRORS.IDEMPOTENCY_KEY_REUSED.code, `Idempotency-Key "${key}" was already used for a different request`, { field: 'Idempotency-Key' });
  }
}

/**
 * Runs `fn` once per idempotency key, in the same transaction that stores its result.
 *
 * A repeat with the same key and the same request gets the stored result (`replayed: true`)
 * without running `fn`; the same key with a different request throws
 * IdempotencyKeyReusedError. When `fn` throws, nothing is stored and the transaction rolls
 * back, so a later retry runs again (a missing dependency may have arrived by then).
 * `request` should identify the whole request (method, route, params and body).
 *
 * @example
 * ```ts
 * const result = withIdempotency(db, 'crm-order-to-erp:1f0c…', { method, url, body }, () => ({ statusCode: 201, body: order }));
 * ```
 */
export function withIdempotency(db: Database, key: string, request: unknown, fn: () => CommandResult): IdempotentResult {
  const requestHash = hashRequest(request);
  return db.transaction((): IdempotentResult => {
    const stored = db.prepare('SELECT request_hash, status_code, response_body FROM idempotency_keys WHERE key = ?').get(key) as
      | { request_hash: string; status_code: number; response_body: string }
      | undefined;
    if (stored) {
      if (stored.request_hash !== requestHash) throw new IdempotencyKeyReusedError(key);
      return { statusCode: stored.status_code, body: JSON.parse(stored.response_body) as unknown, replayed: true };
    }
    const result = fn();
    db.prepare('INSERT INTO idempotency_keys (key, request_hash, status_code, response_body, created_at) VALUES (?, ?, ?, ?, ?)').run(
      key, requestHash, result.statusCode, JSON.stringify(result.body ?? null), Date.now(),
    );
    return { ...result, replayed: false };
  })();
}

/** Deletes keys older than `olderThanMs` (connectors retry within hours, not weeks); returns how many. */
export function pruneIdempotencyKeys(db: Database, olderThanMs: number, now = Date.now()): number {
  return db.prepare('DELETE FROM idempotency_keys WHERE created_at < ?').run(now - olderThanMs).changes;
}

/** SHA-256 of the request in canonical JSON (sorted keys), so key order does not matter. */
export function hashRequest(request: unknown): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
