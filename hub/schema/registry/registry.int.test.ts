import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { uniquePrefix } from '../../../tests/kit/isolation.js';
import { Bus, loadBusConfig } from '../../bus/index.js';
import { createLogger } from '../../log/logger.js';
import { createRegistryServer, MAX_SUBJECT_URL_LENGTH, REGISTRY_CONTENT_TYPE, type RegistryServer } from './server.js';

const bus = loadBusConfig();
const logger = createLogger('registry-test', { level: 'warn' });
const admin = new Bus(bus, logger).admin();
const topics: string[] = [];
const running: RegistryServer[] = [];

/** A registry on its own `_schemas_test_*` topic (or a given one), on a random port. */
async function startRegistry(topic = `_schemas_test_${uniquePrefix('reg').replace(/\.$/, '')}`): Promise<{ url: string; topic: string; server: RegistryServer }> {
  if (!topics.includes(topic)) topics.push(topic);
  const server = createRegistryServer({ topic, bus, host: '127.0.0.1', port: 0, defaultCompatibility: 'BACKWARD_TRANSITIVE', logger });
  running.push(server);
  const url = await server.start();
  return { url, topic, server };
}

async function http(url: string, method: string, body?: string) {
  const response = await fetch(url, { method, headers: { 'content-type': REGISTRY_CONTENT_TYPE }, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as unknown };
}

const customer = (extra: object[] = []) =>
  JSON.stringify({
    type: 'record',
    name: 'CustomerCreated',
    namespace: 'switchboard.crm',
    fields: [{ name: 'customerId', type: 'string' }, { name: 'name', type: 'string' }, ...extra],
  });
const SUBJECT = 'crm.customer.v1-switchboard.crm.CustomerCreated';

beforeAll(() => admin.connect());
afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
  await admin.delete(topics).catch(() => undefined);
  await admin.close();
});

describe('the built-in registry over real HTTP and Kafka', () => {
  it('registers, looks up, lists versions and ids, and keeps them across a restart', async () => {
    const first = await startRegistry();
    const v1 = customer();
    const v2 = customer([{ name: 'email', type: ['null', 'string'], default: null }]);
    expect(await http(`${first.url}/subjects/${SUBJECT}/versions`, 'POST', JSON.stringify({ schema: v1 }))).toEqual({ status: 200, body: { id: 1 } });
    expect((await http(`${first.url}/subjects/${SUBJECT}/versions`, 'POST', JSON.stringify({ schema: v2 }))).body).toEqual({ id: 2 });
    expect((await http(`${first.url}/subjects/other-value/versions`, 'POST', JSON.stringify({ schema: v2 }))).body).toEqual({ id: 2 });
    await http(`${first.url}/config/${SUBJECT}`, 'PUT', JSON.stringify({ compatibility: 'FULL' }));
    await http(`${first.url}/subjects/other-value/versions/1`, 'DELETE');

    const snapshot = async (url: string) => ({
      subjects: (await http(`${url}/subjects`, 'GET')).body,
      deleted: (await http(`${url}/subjects?deleted=true`, 'GET')).body,
      versions: (await http(`${url}/subjects/${SUBJECT}/versions`, 'GET')).body,
      latest: (await http(`${url}/subjects/${SUBJECT}/versions/latest`, 'GET')).body,
      v1: (await http(`${url}/subjects/${SUBJECT}/versions/1`, 'GET')).body,
      byId: (await http(`${url}/schemas/ids/2`, 'GET')).body,
      idVersions: (await http(`${url}/schemas/ids/2/versions?deleted=true`, 'GET')).body,
      lookup: (await http(`${url}/subjects/${SUBJECT}`, 'POST', JSON.stringify({ schema: v1 }))).body,
      config: (await http(`${url}/config/${SUBJECT}`, 'GET')).body,
    });
    const before = await snapshot(first.url);
    expect(before).toMatchObject({
      subjects: [SUBJECT],
      deleted: [SUBJECT, 'other-value'],
      versions: [1, 2],
      latest: { subject: SUBJECT, version: 2, id: 2, schema: v2 },
      byId: { schema: v2 },
      lookup: { subject: SUBJECT, id: 1, version: 1, schema: v1 },
      config: { compatibilityLevel: 'FULL' },
    });

    await first.server.stop();
    const second = await startRegistry(first.topic);
    expect(await snapshot(second.url)).toEqual(before);
    // The restarted registry continues the id sequence rather than reusing ids.
    const v3 = customer([{ name: 'email', type: ['null', 'string'], default: null }, { name: 'phone', type: ['null', 'string'], default: null }]);
    expect((await http(`${second.url}/subjects/${SUBJECT}/versions`, 'POST', JSON.stringify({ schema: v3 }))).body).toEqual({ id: 3 });
  });

  it('serves @kafkajs/confluent-schema-registry: register, encode, decode', async () => {
    const { url } = await startRegistry();
    const client = new SchemaRegistry({ host: url });
    const schema = customer([{ name: 'segment', type: { type: 'enum', name: 'Segment', symbols: ['SMB', 'ENTERPRISE', 'CONSUMER'] } }]);
    const { id } = await client.register({ type: SchemaType.AVRO, schema }, { subject: SUBJECT });
    expect(id).toBe(1);
    const again = await client.register({ type: SchemaType.AVRO, schema }, { subject: SUBJECT });
    expect(again.id).toBe(1);
    expect(await client.getLatestSchemaId(SUBJECT)).toBe(1);

    const value = { customerId: 'C-17', name: 'Acme GmbH', segment: 'ENTERPRISE' };
    const encoded = await client.encode(id, value);
    expect(encoded[0]).toBe(0);
    expect(encoded.readInt32BE(1)).toBe(id);
    // A fresh client has no cache: decode must fetch the schema by id from our registry.
    expect(await new SchemaRegistry({ host: url }).decode(encoded)).toEqual(value);
  });

  it('gives concurrent registrations distinct ids and versions', async () => {
    const { url } = await startRegistry();
    const schemas = Array.from({ length: 10 }, (_, i) => customer([{ name: `f${i}`, type: ['null', 'string'], default: null }]));
    const results = await Promise.all(schemas.map((schema) => http(`${url}/subjects/${SUBJECT}/versions`, 'POST', JSON.stringify({ schema }))));
    const ids = results.map((r) => (r.body as { id: number }).id);
    expect(new Set(ids).size).toBe(10);
    expect((await http(`${url}/subjects/${SUBJECT}/versions`, 'GET')).body).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('takes subjects far longer than 100 characters, with slashes and spaces, through every subject route', async () => {
    const { url } = await startRegistry();
    // TopicRecordNameStrategy under a long topic prefix, plus characters a client must percent-encode.
    const subject = `${'tenant-7f3c.region-eu-central.environment-production.'.repeat(6)}crm/customer v1-switchboard.crm.CustomerCreated`;
    expect(subject.length).toBeGreaterThan(300);
    const path = `${url}/subjects/${encodeURIComponent(subject)}`;
    expect(path).toContain('%2F');
    expect(path).toContain('%20');
    const v1 = customer();
    const v2 = customer([{ name: 'email', type: ['null', 'string'], default: null }]);

    expect(await http(`${path}/versions`, 'POST', JSON.stringify({ schema: v1 }))).toEqual({ status: 200, body: { id: 1 } });
    expect((await http(`${url}/subjects`, 'GET')).body).toEqual([subject]);
    expect((await http(`${path}/versions/1`, 'GET')).body).toEqual({ subject, version: 1, id: 1, schema: v1 });
    expect((await http(`${path}`, 'POST', JSON.stringify({ schema: v1 }))).body).toMatchObject({ subject, id: 1, version: 1 });
    expect((await http(`${url}/compatibility/subjects/${encodeURIComponent(subject)}/versions/latest`, 'POST', JSON.stringify({ schema: v2 }))).body).toEqual({ is_compatible: true });
    expect((await http(`${url}/compatibility/subjects/${encodeURIComponent(subject)}/versions/latest`, 'POST', JSON.stringify({ schema: customer([{ name: 'email', type: 'string' }]) }))).body).toEqual({ is_compatible: false });
    expect(await http(`${url}/config/${encodeURIComponent(subject)}`, 'PUT', JSON.stringify({ compatibility: 'FULL' }))).toEqual({ status: 200, body: { compatibility: 'FULL' } });
    expect((await http(`${url}/schemas/ids/1/versions`, 'GET')).body).toEqual([{ subject, version: 1 }]);

    expect(await http(path, 'DELETE')).toEqual({ status: 200, body: [1] });
    expect(await http(`${path}?permanent=true`, 'DELETE')).toEqual({ status: 200, body: [1] });
    expect(await http(`${path}/versions`, 'GET')).toEqual({ status: 404, body: { error_code: 40401, message: expect.any(String) } });

    // The bound: 8 KiB of path parameter as sent; beyond it a Confluent-shaped 414, never a 5xx.
    const longest = 's'.repeat(MAX_SUBJECT_URL_LENGTH);
    expect((await http(`${url}/subjects/${longest}/versions`, 'POST', JSON.stringify({ schema: v1 }))).status).toBe(200);
    expect((await http(`${url}/subjects/${longest}/versions/1`, 'GET')).body).toMatchObject({ subject: longest, version: 1 });
    expect(await http(`${url}/subjects/${longest}s/versions`, 'GET')).toEqual({ status: 414, body: { error_code: 414, message: expect.stringContaining(`at most ${MAX_SUBJECT_URL_LENGTH} characters`) } });
  });

  it('answers bad input with the right status and Confluent code', async () => {
    const { url } = await startRegistry();
    const register = (body: string, subject = SUBJECT) => http(`${url}/subjects/${subject}/versions`, 'POST', body);
    await register(JSON.stringify({ schema: customer() }));

    expect(await register(JSON.stringify({ schema: '{"type":"record","name":"X","fields":[{"name":"a","type":"nope"}]}' }))).toEqual({ status: 422, body: { error_code: 42201, message: expect.stringContaining('nope') } });
    expect(await http(`${url}/subjects/nobody/versions`, 'GET')).toEqual({ status: 404, body: { error_code: 40401, message: expect.any(String) } });
    expect(await http(`${url}/subjects/${SUBJECT}/versions/9`, 'GET')).toEqual({ status: 404, body: { error_code: 40402, message: expect.any(String) } });
    expect(await http(`${url}/schemas/ids/99`, 'GET')).toEqual({ status: 404, body: { error_code: 40403, message: expect.any(String) } });
    const incompatible = await register(JSON.stringify({ schema: customer([{ name: 'email', type: 'string' }]) }));
    expect(incompatible).toEqual({ status: 409, body: { error_code: 409, message: expect.stringContaining("field 'email' of record switchboard.crm.CustomerCreated was added without a default") } });
    expect(await register('{"schema": "unterminated')).toEqual({ status: 400, body: { error_code: 400, message: expect.any(String) } });
    expect(await http(`${url}/compatibility/subjects/${SUBJECT}/versions/latest?verbose=true`, 'POST', JSON.stringify({ schema: customer([{ name: 'email', type: 'string' }]) }))).toEqual({
      status: 200,
      body: { is_compatible: false, messages: [expect.stringMatching(/^BACKWARD_TRANSITIVE: field 'email'/)] },
    });
  });
});
