import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaNodes, serverProperties } from './kafka-config.js';
import { adminToolProperties, clientEnv, scramFormatArgs, secureServerProperties, SUPER_USERS } from './kafka-security.js';
import { loadOrCreateCredentials, randomSecret } from './secure-credentials.js';
import { clusterDirName } from './stack-settings.js';
import { tlsFiles } from './tls.js';

const security = { tls: tlsFiles('/s/tls'), storePassword: 'store-pw', adminPassword: 'admin-pw' };

describe('secure Kafka settings', () => {
  const nodes = kafkaNodes(3, 19092, '/s/kafka-3-nodes-secure');
  const props = { ...serverProperties(nodes[1], nodes), ...secureServerProperties(nodes[1], security) };

  it('serves clients with SASL_SSL on the client port and controllers with mutual TLS', () => {
    expect(props).toMatchObject({
      listeners: 'CLIENT://127.0.0.1:19094,CONTROLLER://127.0.0.1:19095',
      'advertised.listeners': 'CLIENT://127.0.0.1:19094',
      'listener.security.protocol.map': 'CLIENT:SASL_SSL,CONTROLLER:SSL',
      'inter.broker.listener.name': 'CLIENT',
      'controller.listener.names': 'CONTROLLER',
      'listener.name.controller.ssl.client.auth': 'required',
      'sasl.enabled.mechanisms': 'SCRAM-SHA-512',
      'sasl.mechanism.inter.broker.protocol': 'SCRAM-SHA-512',
      'ssl.keystore.location': '/s/tls/broker.keystore.p12',
      'ssl.truststore.location': '/s/tls/truststore.p12',
      'controller.quorum.voters': '1@127.0.0.1:19093,2@127.0.0.1:19095,3@127.0.0.1:19097',
    });
  });

  it('denies by default with the KRaft authorizer; the admin and the brokers are the super users', () => {
    expect(props['authorizer.class.name']).toBe('org.apache.kafka.metadata.authorizer.StandardAuthorizer');
    expect(props['allow.everyone.if.no.acl.found']).toBe('false');
    expect(props['super.users']).toBe('User:admin;User:CN=switchboard-broker');
    expect(SUPER_USERS).not.toContain('User:ANONYMOUS');
  });

  it('logs brokers in to each other as admin, and creates admin at format time', () => {
    expect(props['listener.name.client.scram-sha-512.sasl.jaas.config']).toBe('org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="admin-pw";');
    expect(scramFormatArgs('admin-pw')).toEqual(['--add-scram', 'SCRAM-SHA-512=[name=admin,password=admin-pw]']);
    expect(adminToolProperties(security)).toMatchObject({ 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'SCRAM-SHA-512', 'ssl.truststore.location': '/s/tls/truststore.p12' });
  });

  it('writes client.env in the KAFKA_* variables of the bus', () => {
    expect(clientEnv(['127.0.0.1:19092', '127.0.0.1:19094'], '/s/tls/ca.pem', 'admin', 'pw').split('\n').filter((line) => !line.startsWith('#'))).toEqual([
      'KAFKA_BROKERS=127.0.0.1:19092,127.0.0.1:19094',
      'KAFKA_SSL=true',
      'KAFKA_SSL_CA_FILE=/s/tls/ca.pem',
      'KAFKA_SASL_MECHANISM=scram-sha-512',
      'KAFKA_SASL_USERNAME=admin',
      'KAFKA_SASL_PASSWORD=pw',
      '',
    ]);
  });

  it('keeps a secure cluster apart from a plain one', () => {
    expect([clusterDirName(1), clusterDirName(1, true), clusterDirName(3, true)]).toEqual(['kafka', 'kafka-secure', 'kafka-3-nodes-secure']);
  });
});

describe('secure credentials', () => {
  it('makes random hex secrets once, kept private and reused', () => {
    expect(randomSecret()).toMatch(/^[0-9a-f]{48}$/);
    expect(randomSecret()).not.toBe(randomSecret());
    const root = mkdtempSync(join(tmpdir(), 'swb-cred-'));
    const dir = join(root, 'secure');
    const first = loadOrCreateCredentials(dir);
    expect(Object.keys(first.users)).toEqual(['admin']);
    expect(loadOrCreateCredentials(dir)).toEqual(first);
    expect(statSync(join(dir, 'credentials.json')).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(join(dir, 'credentials.json'), 'utf8'))).toEqual(first);
    rmSync(root, { recursive: true, force: true });
  });
});
