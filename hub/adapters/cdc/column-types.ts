/**
 * From PostgreSQL column types to Avro, and from PostgreSQL's text form of a value (what
 * pgoutput streams and what the snapshot reads, with `DateStyle=ISO` and `TimeZone=UTC`) to
 * the Avro value. One mapping for the snapshot and the stream, so a row reads the same
 * whichever brought it.
 */

/** An Avro type as JSON. */
export type AvroType = string | Readonly<Record<string, unknown>>;

/** Built-in type OIDs (pg_type) with their own Avro type; any other type travels as its text. */
export const PG_TYPE = Object.freeze({
  bool: 16, bytea: 17, int8: 20, int2: 21, int4: 23, oid: 26, float4: 700, float8: 701, date: 1082, timestamp: 1114, timestamptz: 1184,
} as const);

const TIMESTAMP_MILLIS = Object.freeze({ type: 'long', logicalType: 'timestamp-millis' });
const DATE = Object.freeze({ type: 'int', logicalType: 'date' });

/**
 * The Avro type of a column of type `typeOid`: booleans, integers and floats as themselves,
 * `bigint` and `oid` as long, timestamps (with or without time zone, the latter read as UTC)
 * as timestamp-millis, dates as days, `bytea` as bytes, everything else (numeric, text,
 * uuid, json, arrays, enums, intervals, ...) as its exact text.
 *
 * @example
 * ```ts
 * avroTypeOf(PG_TYPE.int4);  // 'int'
 * avroTypeOf(1700);          // 'string' (numeric keeps every digit)
 * ```
 */
export function avroTypeOf(typeOid: number): AvroType {
  switch (typeOid) {
    case PG_TYPE.bool:
      return 'boolean';
    case PG_TYPE.int2:
    case PG_TYPE.int4:
      return 'int';
    case PG_TYPE.int8:
    case PG_TYPE.oid:
      return 'long';
    case PG_TYPE.float4:
      return 'float';
    case PG_TYPE.float8:
      return 'double';
    case PG_TYPE.bytea:
      return 'bytes';
    case PG_TYPE.date:
      return DATE;
    case PG_TYPE.timestamp:
    case PG_TYPE.timestamptz:
      return TIMESTAMP_MILLIS;
    default:
      return 'string';
  }
}

const DAY_MS = 86_400_000;
/** `2024-05-06 09:00:05.123456+02`, `2024-05-06 09:00:05`, with or without fraction and offset. */
const TIMESTAMP_TEXT = /^(\d{4,})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?)?( BC)?$/;
const DATE_TEXT = /^(\d{4,})-(\d{2})-(\d{2})( BC)?$/;

/**
 * The Avro value of a column of type `typeOid` from its text form; null stays null. Special
 * values with no Avro counterpart (`infinity` dates and timestamps, BC dates) become null.
 *
 * @example
 * ```ts
 * avroValueOf(PG_TYPE.timestamptz, '2024-05-06 09:00:05.5+00'); // 1714986005500
 * avroValueOf(PG_TYPE.bool, 't');                               // true
 * ```
 */
export function avroValueOf(typeOid: number, text: string | null | undefined): unknown {
  if (text === null || text === undefined) return null;
  switch (typeOid) {
    case PG_TYPE.bool:
      return text === 't' || text === 'true';
    case PG_TYPE.int2:
    case PG_TYPE.int4:
      return Number.parseInt(text, 10);
    case PG_TYPE.int8:
    case PG_TYPE.oid: {
      const value = Number(text);
      if (!Number.isSafeInteger(value)) throw new RangeError(`${text} does not fit a JavaScript number exactly; store it as numeric to capture it`);
      return value;
    }
    case PG_TYPE.float4:
    case PG_TYPE.float8:
      return Number(text);
    case PG_TYPE.bytea:
      return text.startsWith('\\x') ? Buffer.from(text.slice(2), 'hex') : Buffer.from(text, 'binary');
    case PG_TYPE.date:
      return daysOf(text);
    case PG_TYPE.timestamp:
    case PG_TYPE.timestamptz:
      return millisOf(text);
    default:
      return text;
  }
}

function daysOf(text: string): number | null {
  const match = DATE_TEXT.exec(text);
  if (!match || match[4]) return null;
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY_MS;
}

function millisOf(text: string): number | null {
  const match = TIMESTAMP_TEXT.exec(text);
  if (!match || match[12]) return null;
  const [, year, month, day, hour, minute, second, fraction, sign, offsetHours, offsetMinutes, offsetSeconds] = match;
  const millis = fraction ? Math.floor(Number(`0.${fraction}`) * 1000 + 1e-6) : 0;
  const local = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second), millis);
  if (!sign) return local;
  const offset = (Number(offsetHours) * 3600 + Number(offsetMinutes ?? 0) * 60 + Number(offsetSeconds ?? 0)) * 1000;
  return sign === '+' ? local - offset : local + offset;
}
