import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { ensureAcls, ensureScramUser, secureKafkaConfig, stackClientInput, stackDown, stackStatus, stackUp } from './index.js';
import { freePortPair } from '../tests/support/ports.js';

// A secure single-node stack on its own ports and folder, beside the one the other tests use.
// Redis stays the shared one (REDIS_URL from the jest global setup): only Kafka is started.
describe('secure stack: TLS, SASL/SCRAM-SHA-512 and ACLs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'swb-secure-int-'));
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['KAFKA_BROKERS', 'SWITCHBOARD_KAFKA_PORT', 'SWITCHBOARD_BROKERS', 'SWITCHBOARD_STACK_DIR', 'SWITCHBOARD_STACK_WITH', 'SWITCHBOARD_SECURE']) delete env[name];
  const options = { dir, env };
  // Bounded: an authorization failure must surface, not be retried for ever.
  const bounded = { retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 500 }, connectionTimeout: 3000 };
  let admin: Admin | undefined;

  afterAll(async () => {
    await admin?.disconnect().catch(() => undefined);
    await stackDown({ dir, env, only: ['kafka'] });
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets the admin create topics, svc-a write only a.t, and refuses clients without credentials', async () => {
    const kafkaPort = await freePortPair(39092);
    const up = await stackUp({ ...options, kafkaPort, secure: true });
    expect(up.kafka.action).toBe('started');
    expect(up.kafka.brokers).toEqual([`127.0.0.1:${kafkaPort}`]);
    const secure = up.kafka.secure;
    if (!secure) throw new Error('stackUp --secure returned no client files');
    expect(secure).toMatchObject({ saslMechanism: 'scram-sha-512', adminUser: 'admin', caFile: join(dir, 'tls', 'ca.pem') });
    // Secrets are private to their owner, and the result names files, never passwords.
    expect(statSync(secure.credentialsFile).mode & 0o777).toBe(0o600);
    expect(statSync(secure.clientEnvFile).mode & 0o777).toBe(0o600);
    const credentials = JSON.parse(readFileSync(secure.credentialsFile, 'utf8')) as { users: Record<string, string> };
    expect(JSON.stringify(up)).not.toContain(credentials.users.admin);
    expect(readFileSync(secure.clientEnvFile, 'utf8')).toContain(`KAFKA_BROKERS=127.0.0.1:${kafkaPort}\nKAFKA_SSL=true\nKAFKA_SSL_CA_FILE=${secure.caFile}\nKAFKA_SASL_MECHANISM=scram-sha-512\nKAFKA_SASL_USERNAME=admin\n`);
    expect(await stackStatus(options)).toMatchObject({ kafka: { managed: true, answering: true, secure: true } });

    // The admin (a super user) creates both topics over SASL_SSL.
    admin = new Kafka(secureKafkaConfig(stackClientInput(options), bounded)).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'a.t' }, { topic: 'b.t' }], waitForLeaders: true });
    expect((await admin.listTopics()).sort()).toEqual(expect.arrayContaining(['a.t', 'b.t']));

    const svcA = await ensureScramUser('svc-a', undefined, options);
    expect(svcA.password).toMatch(/^[0-9a-f]{48}$/);
    expect(JSON.parse(readFileSync(secure.credentialsFile, 'utf8')).users['svc-a']).toBe(svcA.password);
    expect(await ensureScramUser('svc-a', undefined, options)).toEqual(svcA); // idempotent, same password
    await ensureAcls([{ principal: 'User:svc-a', resource: 'topic', name: 'a.t', operations: ['write'] }], options);

    const svc = new Kafka(secureKafkaConfig(stackClientInput(options, 'svc-a'), bounded));
    const producer = svc.producer();
    await producer.connect();
    try {
      const [written] = await producer.send({ topic: 'a.t', messages: [{ key: 'k', value: 'allowed' }] });
      expect(written).toMatchObject({ topicName: 'a.t', errorCode: 0 });

      const started = Date.now();
      const writeB = await producer.send({ topic: 'b.t', messages: [{ value: 'refused' }] }).catch((error: unknown) => error);
      expect(writeB).toMatchObject({ name: 'KafkaJSNonRetriableError', retriable: false });
      expect((writeB as { cause?: unknown }).cause).toMatchObject({ name: 'KafkaJSProtocolError', type: 'TOPIC_AUTHORIZATION_FAILED' });
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      await producer.disconnect();
    }

    // Reading b.t: svc-a may not even describe it.
    const svcAdmin = svc.admin();
    await svcAdmin.connect();
    try {
      const readB = await svcAdmin.fetchTopicOffsets('b.t').catch((error: unknown) => error);
      expect(readB).toMatchObject({ type: 'TOPIC_AUTHORIZATION_FAILED' });
    } finally {
      await svcAdmin.disconnect();
    }
    const consumer = svc.consumer({ groupId: 'svc-a-reader', retry: bounded.retry });
    await consumer.connect();
    try {
      const subscribeB = await consumer.subscribe({ topics: ['b.t'], fromBeginning: true }).catch((error: unknown) => error);
      expect(subscribeB).toMatchObject({ name: 'KafkaJSProtocolError', type: 'TOPIC_AUTHORIZATION_FAILED', retriable: false });
    } finally {
      await consumer.disconnect();
    }

    // Without credentials: TLS alone gets ApiVersions answered (kafkajs's connect), but the broker
    // closes the connection at the first real request; a wrong password fails SCRAM; plain TCP
    // is not spoken at all.
    const ca = readFileSync(secure.caFile, 'utf8');
    const describeAs = async (config: ConstructorParameters<typeof Kafka>[0]): Promise<unknown> => {
      const client = new Kafka({ logLevel: logLevel.NOTHING, ...config, ...bounded }).admin();
      try {
        await client.connect();
        return await client.describeCluster();
      } finally {
        await client.disconnect();
      }
    };
    const started = Date.now();
    await expect(describeAs({ brokers: up.kafka.brokers.slice(), ssl: { ca: [ca] } })).rejects.toMatchObject({ name: expect.stringMatching(/^KafkaJS/) });
    await expect(describeAs(secureKafkaConfig({ ...stackClientInput(options, 'svc-a'), password: 'wrong' }))).rejects.toMatchObject({ name: 'KafkaJSSASLAuthenticationError' });
    await expect(describeAs({ brokers: up.kafka.brokers.slice() })).rejects.toMatchObject({ name: expect.stringMatching(/^KafkaJS/) });
    expect(Date.now() - started).toBeLessThan(60_000);

    await admin.disconnect();
    admin = undefined;
    const down = await stackDown({ dir, env, only: ['kafka'] });
    expect(down.stopped).toHaveLength(1);
    expect(down.stopped[0].how).toBe('terminated');
  }, 240_000);
});
