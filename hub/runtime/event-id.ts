import crypto from 'node:crypto';

/** One-shot hashing (Node ≥ 20.12) skips creating a Hash object per id; createHash before that. */
const sha1: (name: string) => Buffer =
  typeof crypto.hash === 'function' ? (name) => crypto.hash('sha1', name, 'buffer') : (name) => crypto.createHash('sha1').update(name).digest();

/**
 * A UUID derived from a name (SHA-1, version 5 layout). The runtime gives an event it
 * produces the id derived from `<idempotency key>:p<n>`, so producing it again after a crash
 * yields the same `ce_id` and downstream consumers deduplicate it.
 */
export function derivedEventId(name: string): string {
  const hash = sha1(name);
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
