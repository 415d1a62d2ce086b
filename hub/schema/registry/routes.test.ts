import { pino } from 'pino';
import { MemorySchemaStore } from './memory-store.js';
import { createRegistryServer, REGISTRY_CONTENT_TYPE, type RegistryServer } from './server.js';

const CT = { 'content-type': REGISTRY_CONTENT_TYPE };
const schemaOf = (fields: object[], name = 'CustomerCreated') =>
  JSON.stringify({ type: 'record', name, namespace: 'switchboard.crm', fields });
const v1 = schemaOf([{ name: 'id', type: 'string' }]);
const v2 = schemaOf([{ name: 'id', type: 'string' }, { name: 'email', type: ['null', 'string'], default: null }]);
const breaking = schemaOf([{ name: 'id', type: 'string' }, { name: 'segment', type: 'string' }]);
const SUBJECT = 'crm.customer.v1-switchboard.crm.CustomerCreated';

describe('registry routes (in-memory store)', () => {
  let server: RegistryServer;
  let store: MemorySchemaStore;

  let base: string;
  // Real loopback HTTP rather than app.inject(): light-my-request 6.8 requires the ESM-only
  // `cookie` 2, which Jest's module loader cannot require. No infrastructure is involved.
  const send = async (target: RegistryServer | string, method: string, url: string, body?: unknown, headers: Record<string, string> = CT) => {
    const root = typeof target === 'string' ? target : base;
    const response = await fetch(`${root}${url}`, { method, headers, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown), headers: response.headers };
  };
  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) => send(base, method, url, body);
  const register = (schema: string, subject = SUBJECT) => call('POST', `/subjects/${subject}/versions`, { schema });

  beforeEach(async () => {
    store = new MemorySchemaStore();
    server = createRegistryServer({ store, host: '127.0.0.1', port: 0, topic: 'unused', defaultCompatibility: 'BACKWARD_TRANSITIVE', logger: pino({ level: 'silent' }) });
    base = await server.start();
  });
  afterEach(() => server.stop());

  it('registers, returns the same id for the same schema, and lists subjects and versions', async () => {
    expect(await register(v1)).toMatchObject({ status: 200, body: { id: 1 } });
    expect((await register(JSON.stringify(JSON.parse(v1), null, 2))).body).toEqual({ id: 1 });
    expect((await register(v2)).body).toEqual({ id: 2 });
    expect((await call('GET', '/subjects')).body).toEqual([SUBJECT]);
    expect((await call('GET', `/subjects/${SUBJECT}/versions`)).body).toEqual([1, 2]);
    const latest = await call('GET', `/subjects/${SUBJECT}/versions/latest`);
    expect(latest.body).toEqual({ subject: SUBJECT, version: 2, id: 2, schema: v2 });
    expect(latest.headers.get('content-type')).toContain(REGISTRY_CONTENT_TYPE);
    expect((await call('GET', `/subjects/${SUBJECT}/versions/1/schema`)).body).toEqual(JSON.parse(v1));
    expect(store.log).toHaveLength(2);
  });

  it('gives one global id to the same schema under two subjects', async () => {
    await register(v1, 'a-value');
    await register(v2, 'a-value');
    expect((await register(v2, 'b-value')).body).toEqual({ id: 2 });
    expect((await call('GET', '/schemas/ids/2')).body).toEqual({ schema: v2 });
    expect((await call('GET', '/schemas/ids/2/versions')).body).toEqual([
      { subject: 'a-value', version: 2 },
      { subject: 'b-value', version: 1 },
    ]);
    expect((await call('GET', '/schemas/types')).body).toEqual(['AVRO']);
  });

  it('looks a schema up in a subject', async () => {
    await register(v1);
    expect((await call('POST', `/subjects/${SUBJECT}`, { schema: v1 })).body).toEqual({ subject: SUBJECT, id: 1, version: 1, schema: v1 });
    expect((await call('POST', `/subjects/${SUBJECT}`, { schema: v2 })).body).toEqual({ error_code: 40403, message: expect.any(String) });
    expect((await call('POST', '/subjects/nope', { schema: v1 })).status).toBe(404);
  });

  it('refuses an incompatible change with 409 naming the field and the rule', async () => {
    await register(v1);
    const refused = await register(breaking);
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({ error_code: 409, message: expect.stringContaining("BACKWARD_TRANSITIVE: field 'segment' of record switchboard.crm.CustomerCreated was added without a default") });
    const check = await call('POST', `/compatibility/subjects/${SUBJECT}/versions/latest?verbose=true`, { schema: breaking });
    expect(check.body).toEqual({ is_compatible: false, messages: [expect.stringContaining("field 'segment'")] });
    expect((await call('POST', `/compatibility/subjects/${SUBJECT}/versions/1`, { schema: v2 })).body).toEqual({ is_compatible: true });
  });

  it('reads and writes the global and per-subject config', async () => {
    expect((await call('GET', '/config')).body).toEqual({ compatibilityLevel: 'BACKWARD_TRANSITIVE' });
    expect((await call('PUT', '/config', { compatibility: 'FULL' })).body).toEqual({ compatibility: 'FULL' });
    expect((await call('GET', `/config/${SUBJECT}`)).body).toMatchObject({ error_code: 40408 });
    expect((await call('GET', `/config/${SUBJECT}?defaultToGlobal=true`)).body).toEqual({ compatibilityLevel: 'FULL' });
    expect((await call('PUT', `/config/${SUBJECT}`, { compatibility: 'NONE' })).body).toEqual({ compatibility: 'NONE' });
    await register(v1);
    expect((await register(breaking)).body).toEqual({ id: 2 }); // NONE allows it
    expect((await call('DELETE', `/config/${SUBJECT}`)).body).toEqual({ compatibilityLevel: 'NONE' });
    expect((await call('PUT', '/config', { compatibility: 'SIDEWAYS' })).body).toMatchObject({ error_code: 42203 });
  });

  it('soft-deletes and then permanently deletes versions and subjects', async () => {
    await register(v1);
    await register(v2);
    expect((await call('DELETE', `/subjects/${SUBJECT}/versions/1?permanent=true`)).body).toMatchObject({ error_code: 40407 });
    expect((await call('DELETE', `/subjects/${SUBJECT}/versions/1`)).body).toBe(1);
    expect((await call('DELETE', `/subjects/${SUBJECT}/versions/1`)).body).toMatchObject({ error_code: 40406 });
    expect((await call('GET', `/subjects/${SUBJECT}/versions`)).body).toEqual([2]);
    expect((await call('GET', `/subjects/${SUBJECT}/versions?deleted=true`)).body).toEqual([1, 2]);
    expect((await call('GET', `/subjects/${SUBJECT}/versions/1`)).body).toMatchObject({ error_code: 40402 });
    expect((await call('DELETE', `/subjects/${SUBJECT}/versions/1?permanent=true`)).body).toBe(1);
    expect((await call('DELETE', `/subjects/${SUBJECT}?permanent=true`)).body).toMatchObject({ error_code: 40405 });
    expect((await call('DELETE', `/subjects/${SUBJECT}`)).body).toEqual([2]);
    expect((await call('DELETE', `/subjects/${SUBJECT}`)).body).toMatchObject({ error_code: 40404 });
    expect((await call('GET', '/subjects')).body).toEqual([]);
    expect((await call('GET', '/subjects?deleted=true')).body).toEqual([SUBJECT]);
    expect((await call('DELETE', `/subjects/${SUBJECT}?permanent=true`)).body).toEqual([2]);
    expect((await call('GET', '/subjects?deleted=true')).body).toEqual([]);
    expect((await call('GET', '/schemas/ids/2')).body).toMatchObject({ error_code: 40403 });
    // Ids are never reused, even after a permanent delete.
    expect((await register(breaking)).body).toEqual({ id: 3 });
  });

  it('rebuilds the same state from the same log (what a restart does)', async () => {
    await register(v1, 'a');
    await register(v2, 'a');
    await register(v2, 'b');
    await call('PUT', '/config/a', { compatibility: 'FORWARD' });
    const replayed = createRegistryServer({ store: new MemorySchemaStore(store.log), host: '127.0.0.1', port: 0, topic: 'x', defaultCompatibility: 'BACKWARD_TRANSITIVE', logger: pino({ level: 'silent' }) });
    const replayedBase = await replayed.start();
    const get = async (url: string) => (await send(replayedBase, 'GET', url)).body;
    expect(await get('/subjects/b/versions/1')).toEqual({ subject: 'b', version: 1, id: 2, schema: v2 });
    expect(await get('/config/a')).toEqual({ compatibilityLevel: 'FORWARD' });
    await replayed.stop();
  });

  describe('bad input gets Confluent codes, never a 500', () => {
    it.each([
      ['invalid Avro', () => register('{"type":"record","name":"R","fields":[{"name":"a","type":"nope"}]}'), 422, 42201],
      ['a schema that is not JSON', () => register('not json'), 422, 42201],
      ['a missing schema field', () => call('POST', `/subjects/${SUBJECT}/versions`, { schemaa: v1 }), 422, 42201],
      ['an unsupported schema type', () => call('POST', `/subjects/${SUBJECT}/versions`, { schema: '{}', schemaType: 'PROTOBUF' }), 422, 42201],
      ['schema references', () => call('POST', `/subjects/${SUBJECT}/versions`, { schema: v1, references: [{ name: 'x', subject: 'y', version: 1 }] }), 422, 42201],
      ['malformed JSON', () => call('POST', `/subjects/${SUBJECT}/versions`, '{"schema": '), 400, 400],
      ['a JSON array body', () => call('POST', `/subjects/${SUBJECT}/versions`, '[1]'), 400, 400],
      ['an unknown subject', () => call('GET', '/subjects/nope/versions'), 404, 40401],
      ['an unknown version', async () => (await register(v1), call('GET', `/subjects/${SUBJECT}/versions/7`)), 404, 40402],
      ['an invalid version', () => call('GET', `/subjects/${SUBJECT}/versions/abc`), 422, 42202],
      ['version zero', () => call('GET', `/subjects/${SUBJECT}/versions/0`), 422, 42202],
      ['an unknown id', () => call('GET', '/schemas/ids/99'), 404, 40403],
      ['an invalid level', () => call('PUT', `/config/${SUBJECT}`, { compatibility: 'backward' }), 422, 42203],
      ['an unknown route', () => call('GET', '/nope'), 404, 404],
    ])('%s', async (_label, send, status, errorCode) => {
      const response = await send();
      expect(response.status).toBe(status);
      expect(response.body).toEqual({ error_code: errorCode, message: expect.any(String) });
    });

    it('accepts application/json and application/vnd.schemaregistry+json too', async () => {
      for (const contentType of ['application/json', 'application/vnd.schemaregistry+json']) {
        const response = await send(base, 'POST', '/subjects/s/versions', { schema: v1 }, { 'content-type': contentType });
        expect(response.body).toEqual({ id: 1 });
      }
    });

    it('answers a failing store with 500 / 50001', async () => {
      store.failNextAppend = new Error('broker unreachable');
      const response = await register(v1);
      expect(response.status).toBe(500);
      expect(response.body).toEqual({ error_code: 50001, message: expect.stringContaining('broker unreachable') });
      expect((await register(v1)).body).toEqual({ id: 1 });
    });
  });

  it('serialises concurrent registrations: distinct schemas get distinct ids', async () => {
    const schemas = Array.from({ length: 20 }, (_, i) => schemaOf([{ name: 'id', type: 'string' }], `T${i}`));
    const ids = await Promise.all(schemas.map((schema, i) => register(schema, `s${i}`)));
    expect(new Set(ids.map((r) => (r.body as { id: number }).id)).size).toBe(20);
  });
});
