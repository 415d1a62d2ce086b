import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ROLES, type Role } from './roles.js';

/**
 * What is stored about one token: never the token, only its SHA-256. A token is 32 random
 * bytes, so a fast hash is enough (nothing to guess); a salted slow hash would only slow down
 * every request.
 */
export interface TokenEntry {
  /** Who holds it, e.g. `alice` or `ci`; names the actor in the audit trail. */
  readonly name: string;
  readonly role: Role;
  /** Lower-case hex SHA-256 of the token. */
  readonly hash: string;
  readonly createdAt?: string;
}

/** A token name: what the audit trail shows as the actor. */
export const TOKEN_NAME_PATTERN = '^[a-z0-9][a-z0-9._-]{0,63}$';

/** Validates one stored entry (the tokens file, SWITCHBOARD_TOKENS). */
export const tokenEntrySchema = z.object({
  name: z.string().regex(new RegExp(TOKEN_NAME_PATTERN), `a name is 1-64 of a-z, 0-9, ".", "_", "-", starting with a letter or digit`),
  role: z.enum(ROLES),
  hash: z.string().regex(/^[0-9a-f]{64}$/, 'a hash is the 64 lower-case hex digits of the token\'s SHA-256'),
  createdAt: z.string().optional(),
});

/** Entries with unique names. */
export const tokenEntriesSchema = z
  .array(tokenEntrySchema)
  .refine((entries) => new Set(entries.map((entry) => entry.name)).size === entries.length, 'token names must be unique');

/**
 * A new bearer token: `swb_` and 32 random bytes in base64url. Shown once to whoever asked for
 * it; only its hash is kept.
 *
 * @example
 * ```ts
 * const token = newToken();          // 'swb_3q2-...'
 * const entry = { name: 'alice', role: 'operator', hash: hashToken(token) };
 * ```
 */
export function newToken(): string {
  return `swb_${randomBytes(32).toString('base64url')}`;
}

/** The stored form of a token: its SHA-256 in lower-case hex. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
