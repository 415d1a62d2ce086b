import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BusConfig } from '../bus/index.js';
import { asLogin, loadConnectorKafkaCredentials } from './connector-kafka-credentials.js';

describe('per-connector Kafka credentials', () => {
  const dir = mkdtempSync(join(tmpdir(), 'swb-connector-logins-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (content: string): string => {
    const path = join(dir, `${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(path, content);
    return path;
  };

  it('is off when KAFKA_CONNECTOR_CREDENTIALS_FILE is unset', () => {
    expect(loadConnectorKafkaCredentials(['a'], {})).toBeUndefined();
  });

  it('reads each connector\'s login', () => {
    const path = file(JSON.stringify({ a: { username: 'connector-a', password: 'p' } }));
    expect(loadConnectorKafkaCredentials(['a'], { KAFKA_CONNECTOR_CREDENTIALS_FILE: path })?.get('a')).toEqual({ username: 'connector-a', password: 'p' });
  });

  it('refuses a missing file, a malformed one and a missing connector, naming the variable and never a password', () => {
    expect(() => loadConnectorKafkaCredentials(['a'], { KAFKA_CONNECTOR_CREDENTIALS_FILE: join(dir, 'nope.json') })).toThrow(/KAFKA_CONNECTOR_CREDENTIALS_FILE: must name a readable JSON file/);
    expect(() => loadConnectorKafkaCredentials(['a'], { KAFKA_CONNECTOR_CREDENTIALS_FILE: file('{"a": {"username": "x"}}') })).toThrow(/KAFKA_CONNECTOR_CREDENTIALS_FILE: the file must map/);
    const path = file(JSON.stringify({ a: { username: 'connector-a', password: 'secret-1' } }));
    const error = (() => {
      try {
        loadConnectorKafkaCredentials(['a', 'b'], { KAFKA_CONNECTOR_CREDENTIALS_FILE: path });
      } catch (caught) {
        return caught as Error;
      }
      throw new Error('no error');
    })();
    expect(error.message).toMatch(/KAFKA_CONNECTOR_CREDENTIALS_FILE: the file has no login for connector\(s\) b/);
    expect(error.message).not.toContain('secret-1');
  });

  it('logs in as the connector with the worker\'s brokers, TLS and mechanism', () => {
    const config: BusConfig = { brokers: ['h:1'], clientId: 'w', ssl: true, sslCaFile: '/ca.pem', sasl: { mechanism: 'scram-sha-512', username: 'worker', password: 'w' }, replicationFactor: 1, minInsyncReplicas: 1 };
    expect(asLogin(config, { username: 'connector-a', password: 'p' })).toEqual({ ...config, sasl: { mechanism: 'scram-sha-512', username: 'connector-a', password: 'p' } });
    expect(() => asLogin({ ...config, sasl: undefined }, { username: 'c', password: 'p' })).toThrow(/KAFKA_SASL_MECHANISM/);
  });
});
