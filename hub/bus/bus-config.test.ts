import { ConfigError } from '../errors/index.js';
import { loadBusConfig } from './bus-config.js';

describe('bus configuration', () => {
  it('defaults to the local stack', () => {
    expect(loadBusConfig({})).toEqual({ brokers: ['127.0.0.1:9092'], clientId: 'switchboard', ssl: false, replicationFactor: 1, minInsyncReplicas: 1 });
  });

  it('reads brokers, TLS and SASL', () => {
    const config = loadBusConfig({
      KAFKA_BROKERS: 'k1:9092, k2:9092',
      KAFKA_SSL: 'true',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'svc',
      KAFKA_SASL_PASSWORD: 'secret',
      KAFKA_REPLICATION_FACTOR: '3',
      KAFKA_MIN_INSYNC_REPLICAS: '2',
    });
    expect(config).toMatchObject({ brokers: ['k1:9092', 'k2:9092'], ssl: true, sasl: { mechanism: 'scram-sha-512', username: 'svc' }, replicationFactor: 3, minInsyncReplicas: 2 });
  });

  it.each([
    [{ KAFKA_BROKERS: 'localhost' }, /KAFKA_BROKERS: must be a comma-separated list of host:port/],
    [{ KAFKA_BROKERS: '' }, /KAFKA_BROKERS: must not be empty/],
    [{ KAFKA_SSL: 'maybe' }, /KAFKA_SSL/],
    [{ KAFKA_SASL_MECHANISM: 'kerberos' }, /KAFKA_SASL_MECHANISM/],
    [{ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u' }, /KAFKA_SASL_PASSWORD: required when KAFKA_SASL_MECHANISM is set/],
    [{ KAFKA_REPLICATION_FACTOR: '1', KAFKA_MIN_INSYNC_REPLICAS: '2' }, /KAFKA_MIN_INSYNC_REPLICAS: must not exceed KAFKA_REPLICATION_FACTOR/],
  ])('refuses %j with a message naming what to set', (env, message) => {
    expect(() => loadBusConfig(env)).toThrow(ConfigError);
    expect(() => loadBusConfig(env)).toThrow(message);
  });

  it('never echoes the SASL password in its error', () => {
    try {
      loadBusConfig({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: '', KAFKA_SASL_PASSWORD: 'hunter2' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('hunter2');
    }
  });
});
