/**
 * PostgreSQL log sequence numbers (LSNs): a 64-bit WAL position written `X/Y` in hex (two
 * 32-bit halves), e.g. `0/16B3748`.
 */

/**
 * The LSN as a number.
 *
 * @example
 * ```ts
 * parseLsn('1/0000000A'); // 4294967306n
 * ```
 */
export function parseLsn(text: string): bigint {
  const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text);
  if (!match) throw new RangeError(`${JSON.stringify(text)} is not an LSN (X/Y in hex)`);
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

/**
 * The LSN as PostgreSQL writes it.
 *
 * @example
 * ```ts
 * formatLsn(4294967306n); // '1/A'
 * ```
 */
export function formatLsn(value: bigint): string {
  return `${(value >> 32n).toString(16).toUpperCase()}/${(value & 0xffffffffn).toString(16).toUpperCase()}`;
}

/** The later of two LSNs. */
export function maxLsn(a: string, b: string): string {
  return parseLsn(a) >= parseLsn(b) ? a : b;
}
