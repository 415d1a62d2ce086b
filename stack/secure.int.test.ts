import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bus, BusAccessDeniedError, type BusAdmin, type BusConfig } from '../hub/bus/index.js';
import { createLogger } from '../hub/log/logger.js';
import { ensureAcls, ensureScramUser, secureBusConfig, stackClientInput, stackDown, stackStatus, stackUp } from './index.js';
import { freePortPair } from '../tests/kit/ports.js';

const quiet = createLogger('secure-test', { level: 'silent' });

// A secure single-node stack on its own ports and folder, beside the one the other tests use.
// Redis stays the shared one (REDIS_URL from the jest global setup): only Kafka is started.
describe('secure stack: TLS, SASL/SCRAM-SHA-512 and ACLs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'swb-secure-int-'));
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['KAFKA_BROKERS', 'SWITCHBOARD_KAFKA_PORT', 'SWITCHBOARD_BROKERS', 'SWITCHBOARD_STACK_DIR', 'SWITCHBOARD_STACK_WITH', 'SWITCHBOARD_SECURE']) delete env[name];
  const options = { dir, env };
  let admin: BusAdmin | undefined;

  afterAll(async () => {
    await admin?.close().catch(() => undefined);
    await stackDown({ dir, env, only: ['kafka'] });
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets the admin create topics, svc-a write only a.t, and refuses clients without credentials', async () => {
    const kafkaPort = await freePortPair(28092);
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
    admin = new Bus(secureBusConfig(stackClientInput(options)), quiet, 'admin').admin();
    await admin.connect();
    await admin.create(['a.t', 'b.t'].map((name) => ({ name, partitions: 1, replicationFactor: 1, configs: {} })));
    expect((await admin.list()).sort()).toEqual(expect.arrayContaining(['a.t', 'b.t']));

    const svcA = await ensureScramUser('svc-a', undefined, options);
    expect(svcA.password).toMatch(/^[0-9a-f]{48}$/);
    expect(JSON.parse(readFileSync(secure.credentialsFile, 'utf8')).users['svc-a']).toBe(svcA.password);
    expect(await ensureScramUser('svc-a', undefined, options)).toEqual(svcA); // idempotent, same password
    await ensureAcls([{ principal: 'User:svc-a', resource: 'topic', name: 'a.t', operations: ['write'] }], options);

    // Through Switchboard's own bus, as a service or connector would: the refusal is a clear, final error.
    const svc = new Bus(secureBusConfig(stackClientInput(options, 'svc-a')), quiet, 'svc-a');
    const producer = svc.producer();
    try {
      await producer.send({ topic: 'a.t', key: 'k', value: Buffer.from('allowed') });

      const started = Date.now();
      const writeB = await producer.send({ topic: 'b.t', key: null, value: Buffer.from('refused') }).catch((error: unknown) => error);
      expect(writeB).toBeInstanceOf(BusAccessDeniedError);
      expect(writeB).toMatchObject({ code: 'SWB_ERR_BUS_ACCESS_DENIED', retriable: false, kafkaError: 'TOPIC_AUTHORIZATION_FAILED' });
      expect((writeB as Error).message).toContain('b.t');
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      await producer.close();
    }

    // Reading b.t: svc-a may not even describe it.
    const svcAdmin = svc.admin({ retries: 2 });
    await svcAdmin.connect();
    try {
      await expect(svcAdmin.topicOffsets('b.t')).rejects.toMatchObject({ code: 'SWB_ERR_BUS_ACCESS_DENIED', kafkaError: 'TOPIC_AUTHORIZATION_FAILED' });
    } finally {
      await svcAdmin.close();
    }
    const consumer = svc.consumer({ groupId: 'svc-a-reader', topics: ['b.t'], fromBeginning: true, logger: quiet, handle: async () => undefined });
    await expect(consumer.start()).rejects.toMatchObject({ code: 'SWB_ERR_BUS_ACCESS_DENIED', retriable: false });
    await consumer.stop();

    // Without credentials: TLS alone gets ApiVersions answered (kafkajs's connect), but the broker
    // closes the connection at the first real request; a wrong password fails SCRAM; plain TCP
    // is not spoken at all.
    const describeAs = async (config: BusConfig): Promise<unknown> => {
      const client = new Bus(config, quiet, 'probe').admin({ retries: 1 });
      try {
        await client.connect();
        return await client.brokerIds();
      } finally {
        await client.close();
      }
    };
    const svcInput = stackClientInput(options, 'svc-a');
    const plain: BusConfig = { brokers: up.kafka.brokers.slice(), clientId: 'probe', ssl: false, replicationFactor: 1, minInsyncReplicas: 1 };
    const started = Date.now();
    await expect(describeAs({ ...plain, ssl: true, sslCaFile: secure.caFile })).rejects.toBeDefined();
    await expect(describeAs(secureBusConfig({ ...svcInput, password: 'wrong' }))).rejects.toMatchObject({ code: 'SWB_ERR_BUS_ACCESS_DENIED', kafkaError: 'SASL_AUTHENTICATION_FAILED' });
    await expect(describeAs(plain)).rejects.toBeDefined();
    expect(Date.now() - started).toBeLessThan(60_000);

    await admin.close();
    admin = undefined;
    const down = await stackDown({ dir, env, only: ['kafka'] });
    expect(down.stopped).toHaveLength(1);
    expect(down.stopped[0].how).toBe('terminated');
  }, 240_000);
});
