import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SchemaRegistryClient, loadSchemaRegistryClientConfig } from './registry-client.js';
import { SchemaNotFoundError, SchemaRegistryRequestError, SchemaRegistryUnavailableError } from './errors.js';

// A local HTTP server answering with fixed statuses: this tests the client's HTTP handling
// (headers, auth, error mapping); the real registry is exercised in codec-registry.int.test.ts.
describe('SchemaRegistryClient', () => {
  let server: Server;
  let base: string;
  let seen: { method?: string; url?: string; headers: IncomingHttpHeaders; body: string };
  let reply: { status: number; body: string };

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        seen = { method: request.method, url: request.url, headers: request.headers, body };
        response.writeHead(reply.status, { 'Content-Type': 'application/vnd.schemaregistry.v1+json' });
        response.end(reply.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends the Confluent content type, encodes the subject and turns URL user info into basic auth', async () => {
    reply = { status: 200, body: '{"id":7}' };
    const client = new SchemaRegistryClient({ url: `http://key:s%40cret@${base.slice('http://'.length)}/` });
    expect(client.url).toBe(base);
    expect(await client.register('a b/c', '"string"')).toBe(7);
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe('/subjects/a%20b%2Fc/versions');
    expect(seen.headers['content-type']).toBe('application/vnd.schemaregistry.v1+json');
    expect(seen.headers.authorization).toBe(`Basic ${Buffer.from('key:s@cret').toString('base64')}`);
    expect(JSON.parse(seen.body)).toEqual({ schema: '"string"' });
  });

  it('asks for verbose compatibility and returns the messages', async () => {
    reply = { status: 200, body: '{"is_compatible":false,"messages":["field x: no default"]}' };
    const result = await new SchemaRegistryClient({ url: base }).checkCompatibility('s', '"int"');
    expect(seen.url).toBe('/compatibility/subjects/s/versions/latest?verbose=true');
    expect(result).toEqual({ compatible: false, messages: ['field x: no default'] });
  });

  it.each([
    [404, '{"error_code":40403,"message":"Schema not found"}', SchemaNotFoundError, 'SWB_ERR_SCHEMA_NOT_FOUND', false],
    [409, '{"error_code":409,"message":"incompatible"}', SchemaRegistryRequestError, 'SWB_ERR_SCHEMA_INCOMPATIBLE', false],
    [422, '{"error_code":42201,"message":"Invalid schema"}', SchemaRegistryRequestError, 'SWB_ERR_SCHEMA_INVALID', false],
    [400, 'not json', SchemaRegistryRequestError, 'SWB_ERR_SCHEMA_REGISTRY_REJECTED', false],
    [429, '{}', SchemaRegistryUnavailableError, 'SWB_ERR_SCHEMA_REGISTRY_UNAVAILABLE', true],
    [503, '', SchemaRegistryUnavailableError, 'SWB_ERR_SCHEMA_REGISTRY_UNAVAILABLE', true],
  ])('maps HTTP %i to a typed error', async (status, body, type, code, retriable) => {
    reply = { status, body };
    const error = await new SchemaRegistryClient({ url: base }).getSchemaById(1).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({ code, retriable, status });
  });

  it('times out as a retriable error', async () => {
    const hanging = createServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    try {
      const client = new SchemaRegistryClient({ url: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`, timeoutMs: 100 });
      const error = await client.listSubjects().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(SchemaRegistryUnavailableError);
      expect((error as Error).message).toMatch(/no answer within 100 ms/);
    } finally {
      hanging.closeAllConnections();
      await new Promise((resolve) => hanging.close(resolve));
    }
  });

  it('reads SCHEMA_REGISTRY_URL with a default and a clear message', () => {
    expect(loadSchemaRegistryClientConfig({})).toEqual({ url: 'http://127.0.0.1:8081', timeoutMs: 10000, builtIn: true });
    // The built-in registry moved (switchboard up with SCHEMA_REGISTRY_PORT): every process finds it there.
    expect(loadSchemaRegistryClientConfig({ SCHEMA_REGISTRY_PORT: '18081' })).toEqual({ url: 'http://127.0.0.1:18081', timeoutMs: 10000, builtIn: true });
    expect(loadSchemaRegistryClientConfig({ SCHEMA_REGISTRY_URL: 'https://sr.example.com', SCHEMA_REGISTRY_TIMEOUT_MS: '2500' })).toEqual({
      url: 'https://sr.example.com',
      timeoutMs: 2500,
      builtIn: false,
    });
    expect(() => loadSchemaRegistryClientConfig({ SCHEMA_REGISTRY_URL: 'localhost:8081' })).toThrow(/SCHEMA_REGISTRY_URL: must be an http\(s\) URL/);
  });
});
