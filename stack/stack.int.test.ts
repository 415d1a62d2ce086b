import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRunning } from './processes.js';
import { stackDown, stackStatus, stackUp } from './index.js';
import { freePortPair } from '../tests/kit/ports.js';

// The jest global setup points KAFKA_BROKERS / REDIS_URL at the stack the tests run against.
describe('stack status against the running stack', () => {
  it('reports Kafka and Redis answering', async () => {
    const status = await stackStatus();
    expect(status.kafka.answering).toBe(true);
    expect(status.redis.answering).toBe(true);
    expect(status.ready).toBe(true);
  });
});

// A whole second stack on free ports and its own folder: safe beside the one the tests use.
describe('stack lifecycle on spare ports', () => {
  const dir = mkdtempSync(join(tmpdir(), 'swb-stack-int-'));
  // Without KAFKA_BROKERS / REDIS_URL (the stack would treat Kafka and Redis as external) and
  // without the SWITCHBOARD_* layout variables, so status reads the layout `up` recorded.
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['KAFKA_BROKERS', 'REDIS_URL', 'SWITCHBOARD_KAFKA_PORT', 'SWITCHBOARD_REDIS_PORT', 'SWITCHBOARD_BROKERS', 'SWITCHBOARD_STACK_DIR']) delete env[name];

  afterAll(async () => {
    await stackDown({ dir, env });
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts Kafka and Redis, is harmless twice, and stops exactly what it started', async () => {
    const kafkaPort = await freePortPair(29092);
    const redisPort = await freePortPair(26379);
    const options = { dir, env, kafkaPort, redisPort };

    const first = await stackUp(options);
    expect(first.kafka.action).toBe('started');
    expect(first.redis.action).toBe('started');
    expect(first.kafka.brokers).toEqual([`127.0.0.1:${kafkaPort}`]);
    const kafkaPid = first.kafka.nodes[0].pid;
    const redisPid = first.redis.pid;
    expect(kafkaPid).toBeDefined();
    expect(redisPid).toBeDefined();

    const second = await stackUp(options);
    expect(second.kafka.action).toBe('already-running');
    expect(second.redis.action).toBe('already-running');
    expect(second.kafka.nodes[0].pid).toBe(kafkaPid);
    expect(second.redis.pid).toBe(redisPid);

    const running = await stackStatus({ dir, env });
    expect(running).toMatchObject({ ready: true, kafka: { managed: true, answering: true }, redis: { managed: true, answering: true, pid: redisPid } });
    expect(running.kafka.nodes[0]).toMatchObject({ pid: kafkaPid, port: kafkaPort, portAnswering: true });

    const down = await stackDown({ dir, env });
    expect(down.stopped.map((entry) => entry.pid).sort()).toEqual([kafkaPid, redisPid].sort());
    expect(down.stopped.every((entry) => entry.how === 'terminated')).toBe(true);
    expect(isRunning(kafkaPid ?? 0)).toBe(false);
    expect(isRunning(redisPid ?? 0)).toBe(false);

    const stopped = await stackStatus({ dir, env });
    expect(stopped).toMatchObject({ ready: false, kafka: { answering: false }, redis: { answering: false, pid: undefined } });
    expect((await stackDown({ dir, env })).stopped).toEqual([]);
  }, 180_000);
});
