import avro from 'avsc';
import type { Schema, Type } from 'avsc';
import { ERRORS, SwitchboardError } from '../errors/index.js';

/**
 * A decimal value that does not fit its schema: not a decimal string, more fractional digits
 * than the scale allows, or more digits than the precision. Not retriable: the value is wrong.
 */
export class DecimalValueError extends SwitchboardError {
  constructor(message: string) {
    super(ERRORS.CODEC_DECIMAL_INVALID.code, message);
  }
}

/** The `decimal` attributes of a schema, as the Avro specification defines them. */
interface DecimalAttributes {
  readonly precision: number;
  readonly scale: number;
}

const DECIMAL_PATTERN = /^([+-])?(\d+)(?:\.(\d+))?$/;

/**
 * Parses a decimal string into its unscaled integer at `scale`.
 * Fractional digits beyond the scale are refused unless they are zeros (no information is lost).
 *
 * @example
 * ```ts
 * toUnscaled('12.5', { precision: 18, scale: 2 }); // 1250n
 * ```
 */
export function toUnscaled(value: string, attrs: DecimalAttributes): bigint {
  const match = DECIMAL_PATTERN.exec(value);
  if (!match) {
    throw new DecimalValueError(`not a decimal string: ${JSON.stringify(value)} (expected e.g. "12.50")`);
  }
  const [, sign, integerDigits, fractionDigits = ''] = match;
  let fraction = fractionDigits;
  if (fraction.length > attrs.scale) {
    const extra = fraction.slice(attrs.scale);
    if (/[^0]/.test(extra)) {
      throw new DecimalValueError(
        `decimal ${value} has ${fraction.length} fractional digits; the schema allows ${attrs.scale} (scale ${attrs.scale})`,
      );
    }
    fraction = fraction.slice(0, attrs.scale);
  }
  const digits = (integerDigits + fraction.padEnd(attrs.scale, '0')).replace(/^0+(?=\d)/, '');
  if (digits !== '0' && digits.length > attrs.precision) {
    throw new DecimalValueError(
      `decimal ${value} needs ${digits.length} digits; the schema allows ${attrs.precision} (precision ${attrs.precision}, scale ${attrs.scale})`,
    );
  }
  const unscaled = BigInt(digits);
  return sign === '-' ? -unscaled : unscaled;
}

/** Formats an unscaled integer as a decimal string with exactly `scale` fractional digits. */
export function fromUnscaled(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString();
  if (scale === 0) return negative ? `-${digits}` : digits;
  const padded = digits.padStart(scale + 1, '0');
  const text = `${padded.slice(0, -scale)}.${padded.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

/** Two's-complement big-endian bytes of `value`, as short as possible (zero is one 0x00 byte, like Java's BigInteger). */
export function bigIntToTwosComplement(value: bigint): Buffer {
  if (value >= 0n) {
    let hex = value.toString(16);
    if (hex.length % 2 === 1) hex = `0${hex}`;
    // A set top bit would read back as negative: prepend a sign byte.
    if (Number.parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`;
    return Buffer.from(hex, 'hex');
  }
  let length = 1;
  while (value < -(1n << BigInt(8 * length - 1))) length += 1;
  const hex = ((1n << BigInt(8 * length)) + value).toString(16).padStart(2 * length, '0');
  return Buffer.from(hex, 'hex');
}

/** Reads two's-complement big-endian bytes as a signed integer (empty bytes are zero). */
export function twosComplementToBigInt(bytes: Buffer): bigint {
  if (bytes.length === 0) return 0n;
  const unsigned = BigInt(`0x${bytes.toString('hex')}`);
  return bytes[0] & 0x80 ? unsigned - (1n << BigInt(8 * bytes.length)) : unsigned;
}

/** Formats a safe-integer unscaled value like {@link fromUnscaled}, without BigInt. */
function formatSmall(unscaled: number, scale: number): string {
  const negative = unscaled < 0;
  const digits = String(negative ? -unscaled : unscaled);
  if (scale === 0) return negative ? `-${digits}` : digits;
  const padded = digits.length > scale ? digits : digits.padStart(scale + 1, '0');
  const text = `${padded.slice(0, -scale)}.${padded.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

const SMALL_LIMIT = 2n ** 47n;

/** Minimal two's-complement bytes; values within 6 bytes are written without hex round trips. */
function encodeUnscaled(unscaled: bigint): Buffer {
  if (unscaled >= -SMALL_LIMIT && unscaled < SMALL_LIMIT) {
    const n = Number(unscaled);
    let length = 1;
    while (length < 6 && (n < -(2 ** (8 * length - 1)) || n >= 2 ** (8 * length - 1))) length += 1;
    const out = Buffer.allocUnsafe(length);
    out.writeIntBE(n, 0, length);
    return out;
  }
  return bigIntToTwosComplement(unscaled);
}

/** Sign-extends minimal two's-complement bytes to a fixed size, or fails when they do not fit. */
function toFixedSize(bytes: Buffer, size: number, value: string): Buffer {
  if (bytes.length > size) {
    throw new DecimalValueError(`decimal ${value} does not fit in ${size} bytes`);
  }
  if (bytes.length === size) return bytes;
  const out = Buffer.alloc(size, bytes[0] & 0x80 ? 0xff : 0x00);
  bytes.copy(out, size - bytes.length);
  return out;
}

interface DecimalSchema {
  readonly type: unknown;
  readonly precision?: unknown;
  readonly scale?: unknown;
  readonly size?: unknown;
}

/**
 * The Avro `decimal` logical type for avsc: bytes (or fixed) holding the two's-complement,
 * big-endian unscaled value, exposed to JavaScript as a decimal string normalised to the
 * schema's scale (`"12.5"` is written and read back as `"12.50"`). Strings only: money is
 * never a JavaScript number, so no float can sneak in.
 *
 * An invalid decimal schema (no precision, scale above precision) throws here, and avsc then
 * falls back to the underlying bytes type, as the Avro specification requires.
 *
 * @example
 * ```ts
 * const type = avro.Type.forSchema(schema, { logicalTypes: { decimal: DecimalType } });
 * ```
 */
export class DecimalType extends avro.types.LogicalType {
  readonly precision: number;
  readonly scale: number;
  private readonly fixedSize: number | undefined;

  constructor(schema: Schema, opts?: object) {
    super(schema, opts);
    const attrs = schema as unknown as DecimalSchema;
    const precision = attrs.precision;
    const scale = attrs.scale ?? 0;
    if (typeof precision !== 'number' || !Number.isInteger(precision) || precision < 1) {
      throw new Error('decimal logical type needs an integer precision of at least 1');
    }
    if (typeof scale !== 'number' || !Number.isInteger(scale) || scale < 0 || scale > precision) {
      throw new Error('decimal scale must be an integer between 0 and the precision');
    }
    const underlying = this.underlyingType.typeName;
    if (underlying !== 'bytes' && underlying !== 'fixed') {
      throw new Error('decimal logical type must annotate bytes or fixed');
    }
    this.precision = precision;
    this.scale = scale;
    this.fixedSize = underlying === 'fixed' ? (this.underlyingType as avro.types.FixedType).size : undefined;
  }

  protected override _fromValue(value: Buffer): string {
    // Up to 6 bytes fits a safe integer: skip BigInt on the hot path (most money amounts).
    if (value.length > 0 && value.length <= 6) return formatSmall(value.readIntBE(0, value.length), this.scale);
    return fromUnscaled(twosComplementToBigInt(value), this.scale);
  }

  protected override _toValue(value: unknown): Buffer {
    if (typeof value !== 'string') {
      throw new DecimalValueError(`decimal must be a string such as "12.50", got ${typeof value}`);
    }
    const bytes = encodeUnscaled(toUnscaled(value, this));
    return this.fixedSize === undefined ? bytes : toFixedSize(bytes, this.fixedSize, value);
  }

  /**
   * Reads another decimal only with the same scale and no more precision (Avro resolution rule).
   * avsc hands over the writer's already-decoded value: with the same scale it is already right.
   */
  protected override _resolve(writer: Type): ((value: string) => string) | undefined {
    if (writer instanceof DecimalType && writer.scale === this.scale && writer.precision <= this.precision) {
      return (value: string) => value;
    }
    return undefined;
  }

  protected override _export(schema: Schema): void {
    const target = schema as unknown as { precision: number; scale: number };
    target.precision = this.precision;
    target.scale = this.scale;
  }
}

/** The logical types every Switchboard Avro type is parsed with. */
export const LOGICAL_TYPES = Object.freeze({ decimal: DecimalType });

/** Parses an Avro schema with Switchboard's logical types (decimal as string, timestamp-millis as epoch ms). */
export function parseAvroSchema(schema: Schema | string): Type {
  const parsed: Schema = typeof schema === 'string' ? (JSON.parse(schema) as Schema) : schema;
  return avro.Type.forSchema(parsed, { logicalTypes: LOGICAL_TYPES });
}
