import avro from 'avsc';
import { checkCompatibility, type SchemaVersion } from './check.js';
import { COMPATIBILITY_LEVELS, isCompatibilityLevel, type CompatibilityLevel } from './levels.js';

const NS = 'switchboard.crm';
const record = (fields: object[]) => avro.Type.forSchema({ type: 'record', name: 'CustomerCreated', namespace: NS, fields } as never);
const id = { name: 'id', type: 'string' };
const email = { name: 'email', type: 'string' };
const emailWithDefault = { name: 'email', type: 'string', default: '' };
const phone = { name: 'phone', type: ['null', 'string'], default: null };

const v1 = record([id, email]);
const history = (...types: avro.Type[]): SchemaVersion[] => types.map((type, i) => ({ version: i + 1, type }));

describe('checkCompatibility', () => {
  it('knows every Confluent level', () => {
    expect(COMPATIBILITY_LEVELS).toHaveLength(7);
    expect(isCompatibilityLevel('FULL_TRANSITIVE')).toBe(true);
    expect(isCompatibilityLevel('full')).toBe(false);
  });

  it('accepts anything under NONE', () => {
    expect(checkCompatibility(avro.Type.forSchema('int'), history(v1), 'NONE')).toEqual({ compatible: true, messages: [] });
  });

  it('accepts the first version under every level', () => {
    for (const level of COMPATIBILITY_LEVELS) expect(checkCompatibility(v1, [], level).compatible).toBe(true);
  });

  describe('BACKWARD', () => {
    it('accepts an added optional field', () => {
      expect(checkCompatibility(record([id, email, phone]), history(v1), 'BACKWARD').compatible).toBe(true);
    });
    it('refuses an added field without default, naming field, record and rule', () => {
      const result = checkCompatibility(record([id, email, { name: 'segment', type: 'string' }]), history(v1), 'BACKWARD');
      expect(result.compatible).toBe(false);
      expect(result.messages).toEqual([
        "BACKWARD: field 'segment' of record switchboard.crm.CustomerCreated was added without a default, so data written with version 1 cannot be read",
      ]);
    });
    it('refuses a changed field type', () => {
      const result = checkCompatibility(record([id, { name: 'email', type: 'int' }]), history(v1), 'BACKWARD');
      expect(result.messages[0]).toMatch(/^BACKWARD: field 'email' of record switchboard\.crm\.CustomerCreated changed type from "string" \(version 1\) to "int"/);
    });
    it('accepts a promoted type (int to long)', () => {
      const old = record([id, { name: 'n', type: 'int' }]);
      expect(checkCompatibility(record([id, { name: 'n', type: 'long' }]), history(old), 'BACKWARD').compatible).toBe(true);
    });
    it('refuses a removed enum symbol', () => {
      const withEnum = (symbols: string[]) => record([id, { name: 'segment', type: { type: 'enum', name: 'Segment', symbols } }]);
      const result = checkCompatibility(withEnum(['SMB', 'ENTERPRISE']), history(withEnum(['SMB', 'ENTERPRISE', 'CONSUMER'])), 'BACKWARD');
      expect(result.messages).toEqual([
        "BACKWARD: enum switchboard.crm.Segment in field 'segment' of record switchboard.crm.CustomerCreated dropped symbol(s) 'CONSUMER' without an enum default, so data written with version 1 cannot be read",
      ]);
    });
    it('checks only the latest version', () => {
      // v2 dropped email; v3 re-adds it without default: fine against v2 (latest) only? No: v2 lacks it.
      const v2 = record([id, emailWithDefault]);
      const v3 = record([id, emailWithDefault, { name: 'x', type: 'int', default: 0 }]);
      expect(checkCompatibility(v3, history(record([id]), v2), 'BACKWARD').compatible).toBe(true);
    });
  });

  describe('BACKWARD_TRANSITIVE', () => {
    // v1 {id}, v2 {id, email=""}: v3 {id, email} reads v2 but not v1.
    const versions = history(record([id]), record([id, emailWithDefault]));
    it('accepts a change every earlier version supports', () => {
      expect(checkCompatibility(record([id, emailWithDefault, phone]), versions, 'BACKWARD_TRANSITIVE').compatible).toBe(true);
    });
    it('refuses a change that only the latest supports', () => {
      const candidate = record([id, email]);
      expect(checkCompatibility(candidate, versions, 'BACKWARD').compatible).toBe(true);
      const result = checkCompatibility(candidate, versions, 'BACKWARD_TRANSITIVE');
      expect(result.messages).toEqual([
        "BACKWARD_TRANSITIVE: field 'email' of record switchboard.crm.CustomerCreated was added without a default, so data written with version 1 cannot be read",
      ]);
    });
  });

  describe('FORWARD', () => {
    it('accepts a removed field that had a default', () => {
      expect(checkCompatibility(record([id]), history(record([id, emailWithDefault])), 'FORWARD').compatible).toBe(true);
    });
    it('accepts an added field without default (old readers ignore it)', () => {
      expect(checkCompatibility(record([id, email, { name: 'segment', type: 'string' }]), history(v1), 'FORWARD').compatible).toBe(true);
    });
    it('refuses a removed field without default', () => {
      const result = checkCompatibility(record([id]), history(v1), 'FORWARD');
      expect(result.messages).toEqual([
        "FORWARD: field 'email' of record switchboard.crm.CustomerCreated was removed but has no default in version 1, so version 1 cannot read data written with the new schema",
      ]);
    });
    it('refuses an added enum symbol', () => {
      const withEnum = (symbols: string[]) => record([id, { name: 'segment', type: { type: 'enum', name: 'Segment', symbols } }]);
      const result = checkCompatibility(withEnum(['SMB', 'CONSUMER']), history(withEnum(['SMB'])), 'FORWARD');
      expect(result.messages[0]).toMatch(/^FORWARD: enum switchboard\.crm\.Segment in field 'segment' .* added symbol\(s\) 'CONSUMER'/);
    });
  });

  describe('FORWARD_TRANSITIVE', () => {
    // v1 {id, email}, v2 {id, email=""}: removing email is fine for v2 but not for v1.
    const versions = history(v1, record([id, emailWithDefault]));
    it('accepts a change every earlier version can read', () => {
      expect(checkCompatibility(record([id, email, phone]), versions, 'FORWARD_TRANSITIVE').compatible).toBe(true);
    });
    it('refuses a change an older version cannot read', () => {
      expect(checkCompatibility(record([id]), versions, 'FORWARD').compatible).toBe(true);
      const result = checkCompatibility(record([id]), versions, 'FORWARD_TRANSITIVE');
      expect(result.messages).toEqual([
        "FORWARD_TRANSITIVE: field 'email' of record switchboard.crm.CustomerCreated was removed but has no default in version 1, so version 1 cannot read data written with the new schema",
      ]);
    });
  });

  describe('FULL', () => {
    it('accepts an added optional field', () => {
      expect(checkCompatibility(record([id, email, phone]), history(v1), 'FULL').compatible).toBe(true);
    });
    it('refuses an added required field (backward) and reports it', () => {
      const result = checkCompatibility(record([id, email, { name: 'segment', type: 'string' }]), history(v1), 'FULL');
      expect(result.compatible).toBe(false);
      expect(result.messages).toHaveLength(1);
      expect(result.messages[0]).toMatch(/^FULL: field 'segment' .* was added without a default/);
    });
    it('refuses a removed required field (forward)', () => {
      const result = checkCompatibility(record([id]), history(v1), 'FULL');
      expect(result.messages[0]).toMatch(/^FULL: field 'email' .* was removed but has no default in version 1/);
    });
  });

  describe('FULL_TRANSITIVE', () => {
    const versions = history(v1, record([id, emailWithDefault]));
    it('accepts an added optional field', () => {
      expect(checkCompatibility(record([id, emailWithDefault, phone]), versions, 'FULL_TRANSITIVE').compatible).toBe(true);
    });
    it('refuses what only the latest version allows', () => {
      expect(checkCompatibility(record([id]), versions, 'FULL').compatible).toBe(true);
      const result = checkCompatibility(record([id]), versions, 'FULL_TRANSITIVE');
      expect(result.compatible).toBe(false);
      expect(result.messages[0]).toMatch(/^FULL_TRANSITIVE: field 'email' .* version 1/);
    });
  });

  it('locates reasons inside nested records and unions', () => {
    const address = (fields: object[]) => ({ type: 'record', name: 'Address', namespace: 'switchboard.common', fields });
    const old = record([id, { name: 'billingAddress', type: address([{ name: 'city', type: 'string' }]) }]);
    const next = record([id, { name: 'billingAddress', type: address([{ name: 'city', type: 'string' }, { name: 'zip', type: 'string' }]) }]);
    const result = checkCompatibility(next, history(old), 'BACKWARD');
    expect(result.messages).toEqual([
      "BACKWARD: field 'zip' of record switchboard.common.Address (at billingAddress.zip) was added without a default, so data written with version 1 cannot be read",
    ]);
    const unionOld = record([id, { name: 'v', type: ['null', 'string', 'int'] }]);
    const unionNew = record([id, { name: 'v', type: ['null', 'string'] }]);
    expect(checkCompatibility(unionNew, history(unionOld), 'BACKWARD').messages[0]).toMatch(/the union in field 'v' .* dropped branch\(es\) "int"/);
  });

  it.each(COMPATIBILITY_LEVELS.filter((l) => l !== 'NONE'))('%s refuses an incompatible top-level type', (level) => {
    const result = checkCompatibility(avro.Type.forSchema('string'), history(avro.Type.forSchema('int')), level as CompatibilityLevel);
    expect(result.compatible).toBe(false);
    expect(result.messages[0]).toContain('changed type from');
  });
});
