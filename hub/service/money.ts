import { ERRORS } from '../errors/index.js';
import { BusinessRuleError, ValidationError } from './errors.js';

/** Money on the wire: a decimal string amount and an ISO 4217 currency, e.g. `{amount: "12.50", currency: "EUR"}`. */
export interface Money {
  amount: string;
  currency: string;
}

/** Every currency Switchboard's services keep has two decimals; amounts are stored as integer cents. */
const SCALE = 2;
const FACTOR = 10n ** BigInt(SCALE);
const DECIMAL = /^-?\d{1,13}(\.\d{1,2})?$/;

/**
 * The largest amount a service holds, in minor units: 9 999 999 999 999.99. Stored as SQLite
 * integers and handled as JavaScript numbers, amounts must stay exact integers (below 2^53);
 * events carry them as Avro decimals of precision 18. Thirteen digits before the point keep every
 * input exact, and {@link checkedMinor} refuses what a request would compute beyond it.
 */
export const MAX_AMOUNT_MINOR = 999_999_999_999_999;

/**
 * JSON schema of a non-negative decimal amount string: at most 13 digits before the point and
 * two after, no exponent, no float (larger amounts cannot be held exactly; see MAX_AMOUNT_MINOR).
 */
export const decimalAmountSchema = {
  type: 'string', pattern: '^\\d{1,13}(\\.\\d{1,2})?$',
  description: 'A decimal amount such as "12.50": up to 13 digits before the point and 2 after.',
  // The largest first: OpenAPI 3.0 keeps one example, and the fuzz tests start from it.
  examples: ['9999999999999.99', '0.00', '12.50'],
} as const;

/**
 * Parses a decimal string into integer minor units, exactly (no float on the way).
 * @example toMinor('12.5') // 1250
 */
export function toMinor(amount: string, field = 'amount'): number {
  if (!DECIMAL.test(amount)) throw new ValidationError(ERRORS.MONEY_INVALID_AMOUNT.code, `${field} must be a decimal string such as "12.50" (at most 13 digits before the point)`, { field });
  const negative = amount.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? amount.slice(1) : amount).split('.');
  const minor = BigInt(whole) * FACTOR + BigInt(fraction.padEnd(SCALE, '0'));
  return Number(negative ? -minor : minor);
}

/**
 * `minor` when a service can hold it (an exact integer of at most MAX_AMOUNT_MINOR either way),
 * else a 422 MONEY_OUT_OF_RANGE naming `what`: for amounts a request computes (line totals,
 * order totals, balances, stock values), which no schema can bound.
 *
 * @example
 * ```ts
 * checkedMinor(unitPrice * quantity, 'the line total of SKU-1'); // the product, or a 422
 * ```
 */
export function checkedMinor(minor: number, what: string, field?: string): number {
  if (Number.isSafeInteger(minor) && Math.abs(minor) <= MAX_AMOUNT_MINOR) return minor;
  throw new BusinessRuleError(ERRORS.MONEY_OUT_OF_RANGE.code, `${what} would be larger than the largest amount a service holds (${fromMinor(MAX_AMOUNT_MINOR)})`, field ? { field } : {});
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
