/**
 * The codec, the registry client and `schemas check` against Switchboard's real built-in
 * registry (stored in its own `_schemas`-style topic on the local Kafka), and a client we did
 * not write (@kafkajs/confluent-schema-registry) reading what the codec writes.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { createRegistryServer } from '../registry/index.js';
import { createLogger } from '../../log/logger.js';
import type { RegistryServer } from '../registry/index.js';
import { AvroCodec } from './avro-codec.js';
import { SchemaRegistryClient } from '../client/registry-client.js';
import { SchemaNotFoundError, SchemaRegistryRequestError, SchemaRegistryUnavailableError } from '../client/errors.js';
import { DecimalType } from '../decimal-type.js';
import { checkSchemas } from '../../cli/commands/schemas.js';
import { SCHEMAS_DIR, loadSchemaCatalog, schemaCatalog } from '../../../schemas/schema-catalog.js';
import { EXAMPLE_EVENTS } from '../../../schemas/examples.js';
import type { EventFullName } from '../../../catalogue/index.js';

const run = promisify(execFile);
const catalog = schemaCatalog();
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('codec and client against the built-in registry', () => {
  const id = randomUUID().slice(0, 8);
  const prefix = `t${id}.`;
  let server: RegistryServer;
  let url: string;
  let client: SchemaRegistryClient;

  beforeAll(async () => {
    server = createRegistryServer({
      port: 0, host: '127.0.0.1', topic: `t${id}._schemas`, defaultCompatibility: 'BACKWARD_TRANSITIVE',
      logger: createLogger('test-registry', { level: 'warn' }),
    });
    url = await server.start();
    client = new SchemaRegistryClient({ url, timeoutMs: 5000 });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('round-trips every event type through the registry, and a Confluent client reads the bytes', async () => {
    const codec = new AvroCodec({ registry: client });
    const consumer = new AvroCodec({ registry: new SchemaRegistryClient({ url }) });
    const foreign = new SchemaRegistry({ host: url }, { forSchemaOptions: { logicalTypes: { decimal: DecimalType } } });
    for (const event of catalog.events) {
      const example = EXAMPLE_EVENTS[event.fullName as EventFullName];
      const bytes = await codec.encode(event.subject(prefix), example);
      const decoded = await consumer.decode(bytes);
      expect(decoded.fullName).toBe(event.fullName);
      expect(plain(decoded.value)).toEqual(plain(example));
      expect(plain(await foreign.decode(bytes))).toEqual(plain(example));
    }
    expect((await client.listSubjects()).filter((s) => s.startsWith(prefix))).toHaveLength(catalog.events.length);
  });

  it('decodes what a Confluent client wrote', async () => {
    const event = catalog.byFullName('switchboard.erp.InvoiceIssued')!;
    const foreign = new SchemaRegistry({ host: url }, { forSchemaOptions: { logicalTypes: { decimal: DecimalType } } });
    const { id: schemaId } = await foreign.register(
      { type: 'AVRO' as never, schema: event.canonical },
      { subject: event.subject(`${prefix}foreign.`) },
    );
    const bytes = await foreign.encode(schemaId, EXAMPLE_EVENTS['switchboard.erp.InvoiceIssued']);
    const decoded = await new AvroCodec({ registry: client }).decode(bytes);
    expect(plain(decoded.value)).toEqual(plain(EXAMPLE_EVENTS['switchboard.erp.InvoiceIssued']));
  });

  it('speaks the REST API: lookup, by id, latest, versions, config, verbose compatibility', async () => {
    const event = catalog.byFullName('switchboard.crm.OrderPlaced')!;
    const subject = event.subject(`${prefix}rest.`);
    const schemaId = await client.register(subject, event.canonical);
    expect(await client.register(subject, event.canonical)).toBe(schemaId);
    expect(await client.lookup(subject, event.canonical)).toMatchObject({ subject, id: schemaId, version: 1 });
    expect(JSON.parse(await client.getSchemaById(schemaId))).toEqual(event.schema);
    expect(await client.getLatest(subject)).toMatchObject({ id: schemaId, version: 1 });
    expect(await client.getVersions(subject)).toEqual([1]);
    expect(await client.getCompatibility(subject)).toBe('BACKWARD_TRANSITIVE');
    await client.setCompatibility('FULL', subject);
    expect(await client.getCompatibility(subject)).toBe('FULL');
    await client.setCompatibility('BACKWARD_TRANSITIVE', subject);

    const changed = JSON.parse(event.canonical) as { fields: object[] };
    changed.fields.push({ name: 'priority', type: 'string', doc: 'new required field' });
    const check = await client.checkCompatibility(subject, JSON.stringify(changed));
    expect(check.compatible).toBe(false);
    expect(check.messages.join('\n')).toMatch(/priority/);
  });

  it('maps registry errors to typed errors', async () => {
    const notFound = await client.getSchemaById(987654).catch((error: unknown) => error);
    expect(notFound).toBeInstanceOf(SchemaNotFoundError);
    expect(notFound).toMatchObject({ code: 'SWB_ERR_SCHEMA_NOT_FOUND', retriable: false, registryErrorCode: 40403 });
    expect(await client.getLatest(`${prefix}nope`).catch((error: unknown) => error)).toMatchObject({ registryErrorCode: 40401, subjectNotFound: true });

    const invalid = await client.register(`${prefix}invalid`, '{"type":"record","name":"X"}').catch((error: unknown) => error);
    expect(invalid).toBeInstanceOf(SchemaRegistryRequestError);
    expect(invalid).toMatchObject({ code: 'SWB_ERR_SCHEMA_INVALID', status: 422, retriable: false });

    const event = catalog.byFullName('switchboard.erp.PriceChanged')!;
    const subject = event.subject(`${prefix}conflict.`);
    await client.register(subject, event.canonical);
    const broken = JSON.parse(event.canonical) as { fields: object[] };
    broken.fields.push({ name: 'region', type: 'string', doc: 'required, no default' });
    expect(await client.register(subject, JSON.stringify(broken)).catch((error: unknown) => error)).toMatchObject({
      code: 'SWB_ERR_SCHEMA_INCOMPATIBLE',
      status: 409,
      retriable: false,
    });

    // An unknown id decoded by the codec: not found, not retriable (a dead letter, not a retry).
    const codecError = await new AvroCodec({ registry: client }).decode(Buffer.from([0, 0, 0x0f, 0x42, 0x40, 0])).catch((error: unknown) => error);
    expect(codecError).toMatchObject({ code: 'SWB_ERR_SCHEMA_NOT_FOUND', retriable: false });

    // Nobody listening: retriable.
    const down = new SchemaRegistryClient({ url: 'http://127.0.0.1:9', timeoutMs: 2000 });
    const unavailable = await down.getSchemaById(1).catch((error: unknown) => error);
    expect(unavailable).toBeInstanceOf(SchemaRegistryUnavailableError);
    expect(unavailable).toMatchObject({ code: 'SWB_ERR_SCHEMA_REGISTRY_UNAVAILABLE', retriable: true });
  });

  describe('schemas check', () => {
    let dir: string;
    afterEach(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('passes new and unchanged subjects, and fails an incompatible change naming subject and field', async () => {
      const checkPrefix = `${prefix}check.`;
      expect((await checkSchemas(client, catalog.events, checkPrefix)).every((r) => r.status === 'new')).toBe(true);
      for (const event of catalog.events) await client.register(event.subject(checkPrefix), event.canonical);
      expect((await checkSchemas(client, catalog.events, checkPrefix)).every((r) => r.status === 'compatible')).toBe(true);

      // A working copy of schemas/ where OrderPlaced gains a required field without default.
      dir = mkdtempSync(join(tmpdir(), 'swb-check-'));
      for (const folder of ['common', 'crm', 'erp', 'scm']) cpSync(join(SCHEMAS_DIR, folder), join(dir, folder), { recursive: true });
      const file = join(dir, 'crm', 'OrderPlaced.avsc');
      const schema = JSON.parse(readFileSync(file, 'utf8')) as { fields: object[] };
      schema.fields.push({ name: 'salesChannel', type: 'string', doc: 'Where the order was taken.' });
      writeFileSync(file, JSON.stringify(schema));
      const results = await checkSchemas(client, loadSchemaCatalog(dir).events, checkPrefix);
      const failed = results.filter((r) => r.status === 'incompatible');
      expect(failed.map((r) => r.subject)).toEqual([`${checkPrefix}crm.order.v1-switchboard.crm.OrderPlaced`]);
      expect(failed[0].messages.join('\n')).toMatch(/salesChannel/);
    });

    it('the command exits 1 and names the subject and field when a registered version is incompatible', async () => {
      const cliPrefix = `${prefix}cli.`;
      const event = catalog.byFullName('switchboard.crm.OrderPlaced')!;
      // The registered (older) version lacks `shipTo`: today's schema cannot read its data.
      const older = JSON.parse(event.canonical) as { fields: { name: string }[] };
      older.fields = older.fields.filter((field) => field.name !== 'shipTo');
      await client.register(event.subject(cliPrefix), JSON.stringify(older));
      const result = await run(process.execPath, ['bin/switchboard.js', 'schemas', 'check', '--registry', url, '--prefix', cliPrefix], {
        cwd: join(SCHEMAS_DIR, '..'),
      }).then(
        (ok) => ({ code: 0, stdout: ok.stdout }),
        (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
      );
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(`FAIL ${cliPrefix}crm.order.v1-switchboard.crm.OrderPlaced`);
      expect(result.stdout).toMatch(/shipTo/);
      expect(result.stdout).toContain(`new  ${cliPrefix}crm.customer.v1-switchboard.crm.CustomerCreated`);
    }, 60_000);
  });
});
