/**
 * Kafka goes away while the service writes: the writes still commit, the backlog grows, the
 * relay backs off, and when the broker is back every event arrives (a repeat only ever with
 * the same ce_id). The broker stopped here is a private single node on spare ports with its
 * own state folder — never the shared broker on 9092. The registry stays on the shared broker,
 * so only the bus is down.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBusConfig, type BusConfig } from '../../hub/bus/index.js';
import { createLogger } from '../../hub/log/logger.js';
import {
  Collector, createPrefixedTopics, deleteTopics, numberedCustomerEvent, publishEvent, startRelay, startTestRegistry, tempOutboxDb,
} from '../kit/outbox-harness.js';
import type { RegistryServer } from '../../hub/schema/registry/index.js';
import { stackDown, stackUp } from '../../stack/index.js';
import { topicName } from '../../catalogue/index.js';
import { eventually, uniquePrefix } from '../kit/isolation.js';
import { freePortPair } from '../kit/ports.js';

const logger = createLogger('outbox-outage', { level: 'silent' });
const shared = loadBusConfig();
const prefix = uniquePrefix('obo');
const dir = mkdtempSync(join(tmpdir(), 'swb-outbox-outage-'));
// No KAFKA_BROKERS (the stack would treat Kafka as external and start none); REDIS_URL stays
// pointed at the running Redis, so this stack starts Kafka alone.
const env: NodeJS.ProcessEnv = { ...process.env, REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' };
for (const name of ['KAFKA_BROKERS', 'SWITCHBOARD_KAFKA_PORT', 'SWITCHBOARD_REDIS_PORT', 'SWITCHBOARD_BROKERS', 'SWITCHBOARD_STACK_DIR']) delete env[name];

let kafkaPort = 0;
let privateBus: BusConfig;
let registry: { server: RegistryServer; url: string };

beforeAll(async () => {
  kafkaPort = await freePortPair(29192);
  const up = await stackUp({ dir, env, kafkaPort });
  expect(up.kafka.action).toBe('started');
  privateBus = { ...shared, brokers: up.kafka.brokers };
  registry = await startTestRegistry(prefix, logger, shared);
  await createPrefixedTopics(privateBus, prefix, logger);
}, 180_000);

afterAll(async () => {
  await registry?.server.stop();
  await deleteTopics(shared, [`_schemas_test_${prefix.replace(/\W/g, '')}`], logger);
  await stackDown({ dir, env, only: ['kafka'] });
  rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe('outbox relay while the broker is down', () => {
  it('keeps accepting writes, then publishes the whole backlog when the broker returns', async () => {
    const store = tempOutboxDb();
    const running = startRelay(store.outbox, privateBus, registry.url, prefix, logger, { batchSize: 100 });
    const topic = topicName({ system: 'crm', aggregate: 'customer', major: 1 }, prefix);
    const keys = Array.from({ length: 10 }, (_, i) => `outage-${i}`);
    const next = new Map(keys.map((key) => [key, 0]));
    const written = new Set<string>();
    const write = (rows: number): void =>
      store.outbox.transaction(() => {
        for (let i = 0; i < rows; i += 1) {
          const key = keys[i % keys.length];
          const n = next.get(key) ?? 0;
          next.set(key, n + 1);
          written.add(publishEvent(store.outbox, numberedCustomerEvent(key, n)).eventId);
        }
      });
    let collector: Collector | undefined;
    try {
      // Healthy: published at once.
      write(50);
      await eventually(() => (store.outbox.backlog() === 0 ? true : undefined), 30_000, 'the first rows to be published');

      const down = await stackDown({ dir, env, only: ['kafka'] });
      expect(down.stopped).toHaveLength(1);

      // Down: every write still commits at once, and the backlog grows.
      for (let i = 0; i < 20; i += 1) {
        const started = performance.now();
        write(10);
        expect(performance.now() - started).toBeLessThan(1000);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(store.outbox.backlog()).toBe(200);
      await eventually(() => (running.relay.status().lastError !== null ? true : undefined), 60_000, 'the relay to notice the outage');
      expect(running.relay.status()).toMatchObject({ backlog: 200, lastError: { code: 'SWB_ERR_BUS_PUBLISH' } });

      // Back: the relay publishes the backlog by itself.
      const up = await stackUp({ dir, env, kafkaPort });
      expect(up.kafka.action).toBe('started');
      write(30);
      await eventually(() => (store.outbox.backlog() === 0 ? true : undefined), 120_000, 'the backlog to drain');
      expect(running.relay.status()).toMatchObject({ backlog: 0, lastError: null });

      collector = await Collector.start(privateBus, [topic], `${prefix}g`, logger);
      const seen = await eventually(() => {
        const ids = collector?.ids() ?? new Set<string>();
        return [...written].every((id) => ids.has(id)) ? ids : undefined;
      }, 60_000, 'every written event on the topic');
      expect(seen).toEqual(written);
      // A repeat (a produce retried across the outage) is only ever the same event again.
      const byId = new Map<string, Buffer>();
      for (const record of collector.records) {
        const id = record.headers.ce_id ?? '';
        const earlier = byId.get(id);
        if (earlier) expect(record.value).toEqual(earlier);
        else byId.set(id, record.value ?? Buffer.alloc(0));
      }
    } finally {
      await collector?.stop();
      await running.close();
      store.remove();
    }
  }, 300_000);
});
