import { ERRORS } from '../errors/index.js';
import { ValidationError } from './errors.js';

/** Money on the wire: a decimal string amount and an ISO 4217 currency, e.g. `{amount: "12.50", currency: "EUR"}`. */
export interface Money {
  amount: string;
  currency: string;
}

/** Every currency Switchboard's services keep has two decimals; amounts are stored as integer cents. */
const SCALE = 2;
const FACTOR = 10n ** BigInt(SCALE);
const DECIMAL = /^-?\d{1,15}(\.\d{1,2})?$/;

/** JSON schema of a non-negative decimal amount string (at most two decimals, no exponent, no float). */
export const decimalAmountSchema = { type: 'string', pattern: '^\\d{1,15}(\\.\\d{1,2})?$' } as const;

/**
 * Parses a decimal string into integer minor units, exactly (no float on the way).
 * @example toMinor('12.5') // 1250
 */
export function toMinor(amount: string, field = 'amount'): number {
  if (!DECIMAL.test(amount)) throw new ValidationError(ERRORS.MONEY_INVALID_AMOUNT.code, `${field} must be a decimal string such as "12.50"`, { field });
  const negative = amount.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? amount.slice(1) : amount).split('.');
  const minor = BigInt(whole) * FACTOR + BigInt(fraction.padEnd(SCALE, '0'));
  return Number(negative ? -minor : minor);
}

/**
 * Formats integer minor units as a decimal string with two decimals.
 * @example fromMinor(1250) // "12.50"
 */
export function fromMinor(minor: number): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`not an integer amount of minor units: ${minor}`);
  const value = BigInt(minor);
  const abs = value < 0n ? -value : value;
  const text = `${abs / FACTOR}.${(abs % FACTOR).toString().padStart(SCALE, '0')}`;
  return value < 0n ? `-${text}` : text;
}

/** Builds a Money value from minor units. */
export function money(minor: number, currency: string): Money {
  return { amount: fromMinor(minor), currency };
}
