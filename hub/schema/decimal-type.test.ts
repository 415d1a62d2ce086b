import avro from 'avsc';
import {
  DecimalType,
  DecimalValueError,
  bigIntToTwosComplement,
  fromUnscaled,
  parseAvroSchema,
  twosComplementToBigInt,
} from './decimal-type.js';

const moneySchema = {
  type: 'record',
  name: 'M',
  fields: [{ name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 18, scale: 2 } }],
};
const type = parseAvroSchema(moneySchema as never);
const roundTrip = (amount: string): string => (type.fromBuffer(type.toBuffer({ amount })) as { amount: string }).amount;

describe('decimal logical type', () => {
  it('normalises to the schema scale and keeps the value exact', () => {
    expect(roundTrip('12.5')).toBe('12.50');
    expect(roundTrip('12')).toBe('12.00');
    expect(roundTrip('0.1')).toBe('0.10');
    expect(roundTrip('+7.05')).toBe('7.05');
  });

  it('round-trips zero, negative zero and negatives', () => {
    expect(roundTrip('0')).toBe('0.00');
    expect(roundTrip('-0.00')).toBe('0.00');
    expect(roundTrip('-0.01')).toBe('-0.01');
    expect(roundTrip('-1.28')).toBe('-1.28');
    expect(roundTrip('-1234567.89')).toBe('-1234567.89');
  });

  it('round-trips the largest values the precision allows', () => {
    expect(roundTrip('9999999999999999.99')).toBe('9999999999999999.99');
    expect(roundTrip('-9999999999999999.99')).toBe('-9999999999999999.99');
  });

  it('writes the two\'s-complement big-endian bytes the Avro spec prescribes', () => {
    // 1.27 -> 127 = 0x7f; 1.28 -> 128 needs a sign byte: 0x0080; -1.28 -> -128 = 0x80.
    expect(bigIntToTwosComplement(127n).toString('hex')).toBe('7f');
    expect(bigIntToTwosComplement(128n).toString('hex')).toBe('0080');
    expect(bigIntToTwosComplement(-128n).toString('hex')).toBe('80');
    expect(bigIntToTwosComplement(-129n).toString('hex')).toBe('ff7f');
    expect(bigIntToTwosComplement(0n).toString('hex')).toBe('00');
    for (const n of [0n, 1n, -1n, 255n, -256n, 65535n, -65536n, 10n ** 17n, -(10n ** 17n)]) {
      expect(twosComplementToBigInt(bigIntToTwosComplement(n))).toBe(n);
    }
    // The body of {amount: "1.28"} is a length-prefixed byte string: zigzag(2) = 4, then 00 80.
    expect(type.toBuffer({ amount: '1.28' }).toString('hex')).toBe('040080');
  });

  it('writes the same bytes on the small-number fast path as through BigInt, at every byte boundary', () => {
    const bounds: bigint[] = [0n, 1n, -1n];
    for (let bits = 7n; bits <= 55n; bits += 8n) {
      const edge = 1n << bits;
      bounds.push(edge - 1n, edge, -edge, -edge - 1n);
    }
    for (const unscaled of bounds) {
      const amount = fromUnscaled(unscaled, 2);
      const body = type.toBuffer({ amount });
      const expected = bigIntToTwosComplement(unscaled);
      // After the zigzag length prefix (one byte for these sizes) come the decimal bytes.
      expect(body.subarray(1).toString('hex')).toBe(expected.toString('hex'));
      expect(roundTrip(amount)).toBe(amount);
    }
  });

  it('refuses more fractional digits than the scale, unless they are zeros', () => {
    expect(() => type.toBuffer({ amount: '1.234' })).toThrow(DecimalValueError);
    expect(() => type.toBuffer({ amount: '1.234' })).toThrow(/3 fractional digits; the schema allows 2/);
    expect(roundTrip('1.2300')).toBe('1.23');
  });

  it('refuses values beyond the precision', () => {
    expect(() => type.toBuffer({ amount: '10000000000000000.00' })).toThrow(/needs 19 digits; the schema allows 18/);
  });

  it('refuses numbers and malformed strings, with a typed error', () => {
    expect(() => type.toBuffer({ amount: 12.5 })).toThrow(DecimalValueError);
    for (const bad of ['', '1e3', '1.', '.5', '1,50', 'abc', '--1']) {
      let error: unknown;
      try {
        type.toBuffer({ amount: bad });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(DecimalValueError);
      expect((error as DecimalValueError).code).toBe('SWB_ERR_CODEC_DECIMAL_INVALID');
      expect((error as DecimalValueError).retriable).toBe(false);
    }
    expect(type.isValid({ amount: 1.5 })).toBe(false);
    expect(type.isValid({ amount: '1.5' })).toBe(true);
  });

  it('supports fixed as the underlying type', () => {
    const fixed = parseAvroSchema({ type: 'fixed', name: 'F', size: 4, logicalType: 'decimal', precision: 9, scale: 3 } as never);
    expect(fixed.toBuffer('-1.5').toString('hex')).toBe('fffffa24');
    expect(fixed.fromBuffer(fixed.toBuffer('-1.5'))).toBe('-1.500');
  });

  it('resolves between decimals of the same scale, and refuses a different scale', () => {
    const wider = parseAvroSchema({ ...moneySchema, fields: [{ name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 20, scale: 2 } }] } as never);
    const otherScale = parseAvroSchema({ ...moneySchema, fields: [{ name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 18, scale: 3 } }] } as never);
    expect(wider.fromBuffer(type.toBuffer({ amount: '3.10' }), wider.createResolver(type))).toEqual({ amount: '3.10' });
    expect(() => otherScale.createResolver(type)).toThrow();
  });

  it('falls back to bytes for an invalid decimal schema, as the Avro spec requires', () => {
    const noPrecision = avro.Type.forSchema({ type: 'bytes', logicalType: 'decimal' } as never, { logicalTypes: { decimal: DecimalType } });
    expect(noPrecision.typeName).toBe('bytes');
  });
});
