import { Bus, loadBusConfig } from '../hub/bus/index.js';
import { createLogger } from '../hub/log/logger.js';
import { eventually, uniquePrefix } from '../tests/kit/isolation.js';
import { catalogueTopics } from './catalogue.js';
import { applyTopics } from './provision.js';

const admin = new Bus(loadBusConfig(), createLogger('topics-test', { level: 'warn' })).admin();
const prefix = uniquePrefix('prov');
// Domain topics and the CDC tables' topics alike.
const topics = catalogueTopics();
const names = topics.map((spec) => `${prefix}${spec.name}`);

beforeAll(() => admin.connect());
afterAll(async () => {
  await admin.delete(names);
  await admin.close();
});

describe('switchboard topics apply', () => {
  it('creates every catalogue topic, then changes nothing on a second run, then repairs drift', async () => {
    const settings = { replicationFactor: 1, minInsyncReplicas: 1, prefix };
    const first = await applyTopics(admin, settings);
    expect(first.created.sort()).toEqual([...names].sort());

    const described = await admin.describe(names, ['cleanup.policy', 'retention.ms']);
    for (const spec of topics) {
      const topic = described.get(`${prefix}${spec.name}`)!;
      expect(topic.partitions).toBe(spec.partitions);
      expect(topic.configs['cleanup.policy']).toBe(spec.cleanupPolicy);
      expect(topic.configs['retention.ms']).toBe(String(spec.retentionMs));
    }

    const second = await applyTopics(admin, settings);
    expect(second).toEqual({ created: [], updated: [], unchanged: expect.arrayContaining(names) });

    // Someone shortened retention by hand: the next apply restores the catalogue's value.
    await admin.alterConfigs(names[0], { 'cleanup.policy': 'delete', 'retention.ms': '1000', 'min.insync.replicas': '1' });
    // The broker applies the change from the metadata log shortly after the controller accepts it.
    await eventually(async () => ((await admin.describe([names[0]], ['retention.ms'])).get(names[0])!.configs['retention.ms'] === '1000' ? true : undefined));
    const third = await applyTopics(admin, settings);
    expect(third.updated).toEqual([names[0]]);
    const repaired = await admin.describe([names[0]], ['retention.ms']);
    expect(repaired.get(names[0])!.configs['retention.ms']).toBe(String(topics[0].retentionMs));
  });
});
