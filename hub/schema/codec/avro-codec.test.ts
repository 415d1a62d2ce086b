import avro from 'avsc';
import { jest } from '@jest/globals';
import { AvroCodec } from './avro-codec.js';
import { CodecInvalidValueError, CodecSchemaMismatchError, CodecUndecodableError, CodecUnknownSubjectError } from './errors.js';
import { InMemorySchemaLookup } from '../client/memory-schema-lookup.js';
import { SchemaNotFoundError, SchemaRegistryUnavailableError } from '../client/errors.js';
import type { SchemaLookup, SubjectVersion } from '../client/registry-client.js';
import { schemaCatalog } from '../../../schemas/schema-catalog.js';
import { EXAMPLE_EVENTS } from '../../../schemas/examples.js';
import type { EventFullName } from '../../../catalogue/index.js';

const catalog = schemaCatalog();
const PREFIX = 'unit.';

/** Normalises avsc's record instances to plain objects for comparison. */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('AvroCodec', () => {
  it('round-trips an example of every event type through the Confluent wire format', async () => {
    const registry = new InMemorySchemaLookup();
    const producer = new AvroCodec({ registry });
    const consumer = new AvroCodec({ registry });
    expect(Object.keys(EXAMPLE_EVENTS).sort()).toEqual(catalog.events.map((e) => e.fullName).sort());
    for (const event of catalog.events) {
      const example = EXAMPLE_EVENTS[event.fullName as EventFullName];
      const bytes = await producer.encode(event.subject(PREFIX), example);
      expect(bytes[0]).toBe(0);
      const id = bytes.readUInt32BE(1);
      // The body is plain Avro: the catalogue type reads it without the codec.
      expect(plain(event.type.fromBuffer(bytes.subarray(5)))).toEqual(plain(example));
      const decoded = await consumer.decode(bytes);
      expect(decoded.schemaId).toBe(id);
      expect(decoded.fullName).toBe(event.fullName);
      expect(plain(decoded.value)).toEqual(plain(example));
    }
    // One registration per subject, one fetch per schema id: nothing per message.
    expect(registry.calls.register).toBe(catalog.events.length);
    expect(registry.calls.getSchemaById).toBe(catalog.events.length);
  });

  it('fills optional fields left out with null', async () => {
    const codec = new AvroCodec({ registry: new InMemorySchemaLookup() });
    const subject = catalog.byFullName('switchboard.crm.CustomerDeactivated')!.subject(PREFIX);
    const { value } = await codec.decode(await codec.encode(subject, { customerId: 'C-1', deactivatedAt: 1 }));
    expect(plain(value)).toEqual({ customerId: 'C-1', reason: null, deactivatedAt: 1 });
  });

  it('registers once per subject, fetches each writer id once even when asked concurrently, then works synchronously', async () => {
    const registry = new InMemorySchemaLookup();
    const producer = new AvroCodec({ registry });
    const event = catalog.byFullName('switchboard.scm.StockMoved')!;
    const subject = event.subject(PREFIX);
    const example = EXAMPLE_EVENTS['switchboard.scm.StockMoved'];

    expect(producer.encodeSync(subject, example)).toBeUndefined();
    const [a, b] = await Promise.all([producer.encode(subject, example), producer.encode(subject, example)]);
    expect(a.equals(b)).toBe(true);
    expect(registry.calls.register).toBe(1);
    const sync = producer.encodeSync(subject, example);
    expect(sync?.equals(a)).toBe(true);
    expect(producer.encodeWithId(a.readUInt32BE(1), example)?.equals(a)).toBe(true);
    // The producer knows its own id: decoding needs no fetch.
    expect(producer.decodeSync(a)?.fullName).toBe(event.fullName);
    expect(registry.calls.getSchemaById).toBe(0);

    const consumer = new AvroCodec({ registry });
    expect(consumer.decodeSync(a)).toBeUndefined();
    await Promise.all(Array.from({ length: 20 }, () => consumer.decode(a)));
    expect(registry.calls.getSchemaById).toBe(1);
    expect(plain(consumer.decodeSync(a)?.value)).toEqual(plain(example));
  });

  it('resolves an older writer schema into the reader schema, building the resolver once', async () => {
    const registry = new InMemorySchemaLookup();
    const event = catalog.byFullName('switchboard.crm.CustomerDeactivated')!;
    // v0 of the event had no `reason`: the current schema reads it with its default.
    const old = { ...event.schema, fields: (event.schema.fields as { name: string }[]).filter((f) => f.name !== 'reason') };
    const oldCodec = new AvroCodec({ registry, catalog: null });
    oldCodec.defineSubject('legacy', JSON.stringify(old));
    const bytes = await oldCodec.encode('legacy', { customerId: 'C-9', deactivatedAt: 42 });

    const codec = new AvroCodec({ registry });
    // avsc types are frozen: count on the prototype (one build recurses through the fields).
    const createResolver = jest.spyOn(avro.Type.prototype, 'createResolver');
    try {
      expect(plain((await codec.decode(bytes)).value)).toEqual({ customerId: 'C-9', reason: null, deactivatedAt: 42 });
      const callsForOneBuild = createResolver.mock.calls.length;
      expect(callsForOneBuild).toBeGreaterThan(0);
      for (let i = 0; i < 5; i += 1) {
        expect(plain((await codec.decode(bytes)).value)).toEqual({ customerId: 'C-9', reason: null, deactivatedAt: 42 });
      }
      expect(createResolver.mock.calls.length).toBe(callsForOneBuild);
    } finally {
      createResolver.mockRestore();
    }
  });

  it('refuses a writer schema the reader cannot resolve, typed and not retriable', async () => {
    const registry = new InMemorySchemaLookup();
    const writer = new AvroCodec({ registry, catalog: null });
    writer.defineSubject('bad', JSON.stringify({ type: 'record', name: 'switchboard.crm.CustomerDeactivated', fields: [{ name: 'customerId', type: 'int' }] }));
    const bytes = await writer.encode('bad', { customerId: 7 });
    const error = await rejection(new AvroCodec({ registry }).decode(bytes));
    expect(error).toBeInstanceOf(CodecSchemaMismatchError);
    expect((error as CodecSchemaMismatchError).code).toBe('SWB_ERR_CODEC_SCHEMA_MISMATCH');
    expect((error as CodecSchemaMismatchError).retriable).toBe(false);
  });

  describe('undecodable bytes', () => {
    const registry = new InMemorySchemaLookup();
    const codec = new AvroCodec({ registry });
    const subject = catalog.byFullName('switchboard.erp.PriceChanged')!.subject(PREFIX);

    it.each([
      ['an empty buffer', Buffer.alloc(0)],
      ['a buffer shorter than the header', Buffer.from([0, 0, 0])],
      ['a wrong magic byte', Buffer.from([1, 0, 0, 0, 1, 2])],
      ['JSON instead of Avro', Buffer.from('{"sku":"A"}')],
    ])('rejects %s as SWB_ERR_CODEC_UNDECODABLE, not retriable', async (_name, bytes) => {
      const error = await rejection(codec.decode(bytes));
      expect(error).toBeInstanceOf(CodecUndecodableError);
      expect((error as CodecUndecodableError).code).toBe('SWB_ERR_CODEC_UNDECODABLE');
      expect((error as CodecUndecodableError).retriable).toBe(false);
    });

    it('rejects a truncated body and trailing bytes', async () => {
      const good = await codec.encode(subject, EXAMPLE_EVENTS['switchboard.erp.PriceChanged']);
      await expect(codec.decode(good.subarray(0, good.length - 3))).rejects.toThrow(CodecUndecodableError);
      await expect(codec.decode(Buffer.concat([good, Buffer.from([1, 2])]))).rejects.toThrow(/2 bytes after its Avro body/);
      const corrupt = Buffer.from(good);
      corrupt[5] = 0x7f; // a string length far beyond the buffer
      expect(thrown(() => codec.decodeSync(corrupt))).toBeInstanceOf(CodecUndecodableError);
    });
  });

  it('reports an unknown schema id as SWB_ERR_SCHEMA_NOT_FOUND, not retriable', async () => {
    const codec = new AvroCodec({ registry: new InMemorySchemaLookup() });
    const error = await rejection(codec.decode(Buffer.from([0, 0, 0, 3, 233, 2])));
    expect(error).toBeInstanceOf(SchemaNotFoundError);
    expect((error as SchemaNotFoundError).code).toBe('SWB_ERR_SCHEMA_NOT_FOUND');
    expect((error as SchemaNotFoundError).retriable).toBe(false);
  });

  it('does not cache a registry outage: the next decode asks again', async () => {
    const backing = new InMemorySchemaLookup();
    let down = true;
    const flaky: SchemaLookup = {
      register: (subject, schema) => backing.register(subject, schema),
      lookup: (subject, schema): Promise<SubjectVersion> => backing.lookup(subject, schema),
      getSchemaById: async (id) => {
        if (down) throw new SchemaRegistryUnavailableError('registry down');
        return backing.getSchemaById(id);
      },
    };
    const subject = catalog.byFullName('switchboard.erp.PriceChanged')!.subject(PREFIX);
    const bytes = await new AvroCodec({ registry: backing }).encode(subject, EXAMPLE_EVENTS['switchboard.erp.PriceChanged']);
    const codec = new AvroCodec({ registry: flaky });
    const error = await rejection(codec.decode(bytes));
    expect((error as SchemaRegistryUnavailableError).retriable).toBe(true);
    down = false;
    expect((await codec.decode(bytes)).fullName).toBe('switchboard.erp.PriceChanged');
  });

  it('names the fields of a value that does not match its schema', async () => {
    const codec = new AvroCodec({ registry: new InMemorySchemaLookup() });
    const subject = catalog.byFullName('switchboard.scm.StockMoved')!.subject(PREFIX);
    const bad = { ...EXAMPLE_EVENTS['switchboard.scm.StockMoved'], quantity: 'four', movementType: 'TELEPORT' };
    const error = await rejection(codec.encode(subject, bad));
    expect(error).toBeInstanceOf(CodecInvalidValueError);
    expect((error as CodecInvalidValueError).code).toBe('SWB_ERR_CODEC_INVALID_VALUE');
    expect((error as CodecInvalidValueError).message).toMatch(/quantity: "four" is not a valid int/);
    expect((error as CodecInvalidValueError).message).toMatch(/movementType: "TELEPORT" is not a valid enum/);
    // A money amount that is not exact keeps the decimal error.
    const money = { ...EXAMPLE_EVENTS['switchboard.erp.PriceChanged'], unitPrice: { amount: '1.999', currency: 'EUR' } };
    await expect(codec.encode(catalog.byFullName('switchboard.erp.PriceChanged')!.subject(), money)).rejects.toMatchObject({
      code: 'SWB_ERR_CODEC_DECIMAL_INVALID',
    });
  });

  it('refuses a subject that is neither in the catalogue nor defined', async () => {
    const codec = new AvroCodec({ registry: new InMemorySchemaLookup() });
    await expect(codec.encode('crm.customer.v1-switchboard.crm.Nope', {})).rejects.toThrow(CodecUnknownSubjectError);
    // The full name must sit on its own topic.
    await expect(codec.encode('erp.product.v1-switchboard.crm.CustomerCreated', {})).rejects.toThrow(CodecUnknownSubjectError);
  });

  it('looks schemas up without registering when autoRegister is off', async () => {
    const registry = new InMemorySchemaLookup();
    const subject = catalog.byFullName('switchboard.erp.PriceChanged')!.subject(PREFIX);
    const codec = new AvroCodec({ registry, autoRegister: false });
    await expect(codec.encode(subject, EXAMPLE_EVENTS['switchboard.erp.PriceChanged'])).rejects.toThrow(SchemaNotFoundError);
    await registry.register(subject, catalog.byFullName('switchboard.erp.PriceChanged')!.canonical);
    await expect(codec.encode(subject, EXAMPLE_EVENTS['switchboard.erp.PriceChanged'])).resolves.toBeInstanceOf(Buffer);
    expect(registry.calls.register).toBe(1);
  });

  it('grows its scratch buffer for large values', async () => {
    const codec = new AvroCodec({ registry: new InMemorySchemaLookup() });
    const subject = catalog.byFullName('switchboard.crm.OrderPlaced')!.subject(PREFIX);
    const big = {
      ...EXAMPLE_EVENTS['switchboard.crm.OrderPlaced'],
      lines: Array.from({ length: 2000 }, (_, i) => ({ sku: `SKU-${i}`, quantity: i + 1, unitPrice: { amount: `${i}.99`, currency: 'EUR' } })),
    };
    const bytes = await codec.encode(subject, big);
    expect(bytes.length).toBeGreaterThan(8192);
    const decoded = (await codec.decode(bytes)).value as { lines: { sku: string; unitPrice: { amount: string } }[] };
    expect(decoded.lines[1999]).toMatchObject({ sku: 'SKU-1999', unitPrice: { amount: '1999.99' } });
  });

  it('is readable by a plain avsc reader (any Confluent client strips the same 5 bytes)', async () => {
    const codec = new AvroCodec({ registry: new InMemorySchemaLookup() });
    const event = catalog.byFullName('switchboard.crm.CustomerCreated')!;
    const bytes = await codec.encode(event.subject(), EXAMPLE_EVENTS['switchboard.crm.CustomerCreated']);
    // Without the decimal logical type at all: the common Address/segment fields read as-is.
    const bare = avro.Type.forSchema(JSON.parse(event.canonical) as never);
    expect(bare.fromBuffer(bytes.subarray(5))).toMatchObject({ customerId: 'C-1017', segment: 'SMB' });
  });
});
