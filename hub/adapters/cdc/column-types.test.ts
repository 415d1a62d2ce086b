import { avroTypeOf, avroValueOf, PG_TYPE } from './column-types.js';
import { formatLsn, maxLsn, parseLsn } from './lsn.js';

const NUMERIC = 1700;
const JSONB = 3802;
const UUID = 2950;

describe('PostgreSQL column types as Avro', () => {
  it('gives each built-in type its Avro type, and every other type its text', () => {
    expect([PG_TYPE.bool, PG_TYPE.int2, PG_TYPE.int4, PG_TYPE.int8, PG_TYPE.float4, PG_TYPE.float8, PG_TYPE.bytea].map(avroTypeOf)).toEqual(['boolean', 'int', 'int', 'long', 'float', 'double', 'bytes']);
    expect(avroTypeOf(PG_TYPE.timestamptz)).toEqual({ type: 'long', logicalType: 'timestamp-millis' });
    expect(avroTypeOf(PG_TYPE.date)).toEqual({ type: 'int', logicalType: 'date' });
    expect([NUMERIC, JSONB, UUID, 25].map(avroTypeOf)).toEqual(['string', 'string', 'string', 'string']);
  });

  it('reads PostgreSQL\'s text forms into Avro values', () => {
    expect(avroValueOf(PG_TYPE.bool, 't')).toBe(true);
    expect(avroValueOf(PG_TYPE.bool, 'f')).toBe(false);
    expect(avroValueOf(PG_TYPE.int4, '-42')).toBe(-42);
    expect(avroValueOf(PG_TYPE.int8, '9007199254740991')).toBe(9007199254740991);
    expect(avroValueOf(PG_TYPE.float8, '1.5')).toBe(1.5);
    expect(avroValueOf(PG_TYPE.float8, 'NaN')).toBeNaN();
    expect(avroValueOf(NUMERIC, '12345678901234567890.0001')).toBe('12345678901234567890.0001');
    expect(avroValueOf(PG_TYPE.bytea, '\\x0aff')).toEqual(Buffer.from([0x0a, 0xff]));
    expect(avroValueOf(JSONB, '{"a": 1}')).toBe('{"a": 1}');
    expect(avroValueOf(PG_TYPE.int4, null)).toBeNull();
    expect(avroValueOf(PG_TYPE.int4, undefined)).toBeNull();
  });

  it('reads timestamps with any offset, timestamps without one as UTC, and dates as days', () => {
    expect(avroValueOf(PG_TYPE.timestamptz, '2024-05-06 09:00:05.123456+00')).toBe(Date.parse('2024-05-06T09:00:05.123Z'));
    expect(avroValueOf(PG_TYPE.timestamptz, '2024-05-06 11:00:05+02')).toBe(Date.parse('2024-05-06T09:00:05Z'));
    expect(avroValueOf(PG_TYPE.timestamptz, '2024-05-06 03:30:05-05:30')).toBe(Date.parse('2024-05-06T09:00:05Z'));
    expect(avroValueOf(PG_TYPE.timestamp, '2024-05-06 09:00:05.5')).toBe(Date.parse('2024-05-06T09:00:05.500Z'));
    expect(avroValueOf(PG_TYPE.date, '1970-01-02')).toBe(1);
    expect(avroValueOf(PG_TYPE.date, '2024-05-06')).toBe(Date.parse('2024-05-06T00:00:00Z') / 86_400_000);
    // No Avro counterpart: null.
    expect(avroValueOf(PG_TYPE.timestamptz, 'infinity')).toBeNull();
    expect(avroValueOf(PG_TYPE.date, '0044-03-15 BC')).toBeNull();
  });

  it('refuses a bigint a JavaScript number cannot hold exactly', () => {
    expect(() => avroValueOf(PG_TYPE.int8, '9007199254740993')).toThrow(/numeric/);
  });
});

describe('LSNs', () => {
  it('reads and writes X/Y in hex, and orders them', () => {
    expect(parseLsn('1/0000000A')).toBe(4294967306n);
    expect(formatLsn(4294967306n)).toBe('1/A');
    expect(formatLsn(parseLsn('0/16B3748'))).toBe('0/16B3748');
    expect(maxLsn('0/FF', '1/0')).toBe('1/0');
    expect(() => parseLsn('16B3748')).toThrow(RangeError);
  });
});
