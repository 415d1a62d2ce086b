import { hostname } from 'node:os';
import { defaultElectionGroup, loadRegistryConfig } from './config.js';
import { advertisedUrl, ELECTION_TOPIC } from './election.js';

describe('registry configuration', () => {
  it('needs nothing for one instance: the election settings have defaults', () => {
    expect(loadRegistryConfig({})).toEqual({
      host: '127.0.0.1',
      port: 8081,
      topic: '_schemas',
      defaultCompatibility: 'BACKWARD_TRANSITIVE',
      advertisedUrl: undefined,
      groupId: undefined,
      electionTimeoutMs: 10_000,
      writerWaitMs: 5000,
    });
    expect(defaultElectionGroup('_schemas')).toBe('switchboard-schema-registry._schemas');
    expect(ELECTION_TOPIC).toBe('_schemas-election');
  });

  it('reads the election settings and names the variable that is wrong', () => {
    expect(
      loadRegistryConfig({
        SCHEMA_REGISTRY_ADVERTISED_URL: 'http://registry-1.internal:8081/',
        SCHEMA_REGISTRY_GROUP_ID: 'schema-registry',
        SCHEMA_REGISTRY_ELECTION_TIMEOUT_MS: '6000',
        SCHEMA_REGISTRY_WRITER_WAIT_MS: '0',
      }),
    ).toMatchObject({ advertisedUrl: 'http://registry-1.internal:8081', groupId: 'schema-registry', electionTimeoutMs: 6000, writerWaitMs: 0 });
    expect(() => loadRegistryConfig({ SCHEMA_REGISTRY_ADVERTISED_URL: 'registry-1:8081' })).toThrow(/SCHEMA_REGISTRY_ADVERTISED_URL: must be an http\(s\) URL/);
    expect(() => loadRegistryConfig({ SCHEMA_REGISTRY_ELECTION_TIMEOUT_MS: '1000' })).toThrow(/SCHEMA_REGISTRY_ELECTION_TIMEOUT_MS: must be at least 6000 ms/);
    expect(() => loadRegistryConfig({ SCHEMA_REGISTRY_WRITER_WAIT_MS: 'soon' })).toThrow(/SCHEMA_REGISTRY_WRITER_WAIT_MS/);
    expect(() => loadRegistryConfig({ SCHEMA_REGISTRY_GROUP_ID: ' ' })).toThrow(/SCHEMA_REGISTRY_GROUP_ID: must not be empty/);
  });

  it('advertises the configured URL, else the listening address, with the machine name for every interface', () => {
    expect(advertisedUrl('https://registry.example', '0.0.0.0', 8081)).toBe('https://registry.example');
    expect(advertisedUrl(undefined, '127.0.0.1', 18081)).toBe('http://127.0.0.1:18081');
    expect(advertisedUrl(undefined, '0.0.0.0', 8081)).toBe(`http://${hostname()}:8081`);
    expect(advertisedUrl(undefined, '::1', 8081)).toBe('http://[::1]:8081');
  });
});
