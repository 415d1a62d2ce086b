import { canonicalSchema, parseAvroSchema } from './canonical.js';
import { RegistryError } from './errors.js';

describe('canonical schema', () => {
  const spaced = `{
    "type": "record", "namespace": "switchboard.crm", "name": "CustomerCreated",
    "fields": [ {"name": "id", "type": {"type": "string"}}, {"name": "address", "type": {"type": "record", "name": "Address", "fields": [{"name": "city", "type": "string"}]}}, {"name": "other", "type": "Address"} ]
  }`;
  const compact = '{"name":"switchboard.crm.CustomerCreated","type":"record","fields":[{"type":"string","name":"id"},{"name":"address","type":{"name":"switchboard.crm.Address","type":"record","fields":[{"name":"city","type":"string"}]}},{"name":"other","type":"switchboard.crm.Address"}]}';

  it('ignores whitespace, key order, namespace spelling and primitive wrapping', () => {
    expect(canonicalSchema(spaced)).toBe(canonicalSchema(compact));
  });

  it('keeps docs, defaults and logical types, so they make a different schema', () => {
    const base = { type: 'record', name: 'R', fields: [{ name: 'a', type: 'string' }] };
    const withDoc = { ...base, fields: [{ name: 'a', type: 'string', doc: 'the a' }] };
    const withDefault = { ...base, fields: [{ name: 'a', type: 'string', default: '' }] };
    const decimal = { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 };
    const decimal2 = { ...decimal, scale: 3 };
    const canonical = (s: object) => canonicalSchema(JSON.stringify(s));
    expect(new Set([canonical(base), canonical(withDoc), canonical(withDefault)]).size).toBe(3);
    expect(canonical(decimal)).not.toBe(canonical(decimal2));
    expect(canonical(decimal)).toBe('{"logicalType":"decimal","precision":10,"scale":2,"type":"bytes"}');
  });

  it('keeps the text it was given', () => {
    expect(parseAvroSchema(spaced).schema).toBe(spaced);
  });

  it.each([
    ['not JSON', '{"type": "record"', /Invalid schema: not JSON/],
    ['an unknown type', '{"type":"record","name":"R","fields":[{"name":"a","type":"strin"}]}', /undefined type name: strin/],
    ['a bad default', '{"type":"record","name":"R","fields":[{"name":"a","type":"int","default":"x"}]}', /incompatible field default/],
  ])('refuses %s with 42201', (_label, text, message) => {
    let caught: unknown;
    try {
      parseAvroSchema(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RegistryError);
    expect((caught as RegistryError).toBody()).toEqual({ error_code: 42201, message: expect.stringMatching(message) });
    expect((caught as RegistryError).httpStatus).toBe(422);
  });
});
