import { ISO_COUNTRY_CODES } from './countries.js';
import { decimalAmountSchema } from './money.js';

/**
 * JSON schemas of the bodies the three services share. Objects are closed
 * (`additionalProperties: false`) so an unknown field is refused, not silently dropped.
 */

/** A non-empty, trimmed-looking string of bounded length. */
export function text(maxLength = 200): { type: 'string'; minLength: 1; maxLength: number; pattern: string } {
  return { type: 'string', minLength: 1, maxLength, pattern: '\\S' };
}

/** An identifier: letters, digits, `-`, `_`, `.`, `:`. */
export const idSchema = { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$' } as const;

/** A SKU such as `SKU-1001`. */
export const skuSchema = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' } as const;

/** ISO 3166-1 alpha-2 country code. */
export const countrySchema = { type: 'string', enum: ISO_COUNTRY_CODES } as const;

/** `Address` = `{line1, line2?, city, postalCode, country}`. */
export const addressSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['line1', 'city', 'postalCode', 'country'],
  properties: {
    line1: text(200),
    line2: { type: 'string', maxLength: 200 },
    city: text(100),
    postalCode: { type: 'string', minLength: 1, maxLength: 20, pattern: '^[A-Za-z0-9][A-Za-z0-9 -]*$' },
    country: countrySchema,
  },
} as const;

/** `Money` = `{amount, currency}` with a decimal string amount such as `"12.50"`. */
export const moneySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['amount', 'currency'],
  properties: {
    amount: decimalAmountSchema,
    currency: { type: 'string', pattern: '^[A-Z]{3}$' },
  },
} as const;

/** A positive whole quantity. */
export const quantitySchema = { type: 'integer', minimum: 1, maximum: 1_000_000 } as const;

/** An order line: `{sku, quantity}`. */
export const lineSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['sku', 'quantity'],
  properties: { sku: skuSchema, quantity: quantitySchema },
} as const;

/** Epoch milliseconds, up to the last instant a JavaScript Date holds (events carry them as Avro longs). */
export const epochMillisSchema = { type: 'integer', minimum: 0, maximum: 8_640_000_000_000_000 } as const;

/** The body of every 4xx/5xx answer. */
export const errorResponseSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        field: { type: 'string' },
        retriable: { type: 'boolean' },
      },
    },
  },
} as const;

/** Address as stored and sent in events: `line2` is null when absent. */
export interface Address {
  line1: string;
  line2: string | null;
  city: string;
  postalCode: string;
  country: string;
}

/** Address as it arrives in a request body. */
export interface AddressInput {
  line1: string;
  line2?: string;
  city: string;
  postalCode: string;
  country: string;
}

/** Normalises an input address (absent `line2` becomes null). */
export function toAddress(input: AddressInput): Address {
  return { line1: input.line1, line2: input.line2 ?? null, city: input.city, postalCode: input.postalCode, country: input.country };
}

/** An order line. */
export interface Line {
  sku: string;
  quantity: number;
}
