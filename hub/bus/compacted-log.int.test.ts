import kafkajs from 'kafkajs';
import { eventually, uniquePrefix } from '../../tests/kit/isolation.js';
import { createLogger } from '../log/logger.js';
import { loadBusConfig } from './bus-config.js';
import { CompactedLog, type CompactedRecord } from './compacted-log.js';
import { createKafka } from './kafka-client.js';

const { ConfigResourceTypes } = kafkajs;
const bus = loadBusConfig();
const logger = createLogger('compacted-log-test', { level: 'warn' });
const topic = `${uniquePrefix('clog')}table`;
const admin = createKafka(bus, logger).admin();
const opened: CompactedLog[] = [];

function open(): CompactedLog {
  const log = new CompactedLog({ topic, bus, logger });
  opened.push(log);
  return log;
}

const asTable = (records: CompactedRecord[]) => {
  const table = new Map<string, string>();
  for (const r of records) {
    if (r.value === null) table.delete(r.key);
    else table.set(r.key, r.value.toString());
  }
  return table;
};

beforeAll(() => admin.connect());
afterAll(async () => {
  await Promise.all(opened.map((log) => log.close()));
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
});

describe('CompactedLog against the real broker', () => {
  it('creates a compacted one-partition topic, replays it in order and tails new records', async () => {
    const writer = open();
    const seenByWriter: CompactedRecord[] = [];
    await writer.load((r) => seenByWriter.push(r)); // creates the topic; empty, so resolves at once

    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(metadata.topics[0].partitions).toHaveLength(1);
    const configs = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['cleanup.policy'] }] });
    expect(configs.resources[0].configEntries[0].configValue).toBe('compact');

    const first = await writer.append('crm:C-17', 'erp:100045');
    await writer.waitFor(first);
    expect(seenByWriter.map((r) => r.key)).toEqual(['crm:C-17']); // read back before waitFor resolved
    await writer.appendAndWait([
      { key: 'crm:C-18', value: Buffer.from('erp:100046') },
      { key: 'crm:C-17', value: null },
      { key: 'crm:C-19', value: 'erp:100047' },
    ]);
    expect(asTable(seenByWriter)).toEqual(new Map([['crm:C-18', 'erp:100046'], ['crm:C-19', 'erp:100047']]));

    // A second instance replays everything written before its load() resolves ...
    const reader = open();
    const seenByReader: CompactedRecord[] = [];
    await reader.load((r) => seenByReader.push(r));
    expect(seenByReader.map((r) => [r.key, r.value?.toString() ?? null])).toEqual([
      ['crm:C-17', 'erp:100045'],
      ['crm:C-18', 'erp:100046'],
      ['crm:C-17', null],
      ['crm:C-19', 'erp:100047'],
    ]);
    // ... and keeps tailing what another instance writes afterwards.
    await writer.append('crm:C-20', 'erp:100048');
    await eventually(() => (asTable(seenByReader).get('crm:C-20') === 'erp:100048' ? true : undefined), 15000, 'the tail to deliver C-20');
  });

  it('writes appends made at once (they go together) each once, in call order, each resolving with its own position', async () => {
    const log = open();
    const seen: CompactedRecord[] = [];
    await log.load((r) => seen.push(r));
    const keys = Array.from({ length: 40 }, (_, i) => `burst:${i}`);
    const positions = await Promise.all(keys.map((key, i) => (i % 4 === 3 ? log.appendAll([{ key, value: `a${i}` }, { key: `${key}b`, value: `b${i}` }]) : log.appendAll([{ key, value: `v${i}` }]))));
    await Promise.all(positions.flat().map((position) => log.waitFor(position)));
    const burst = seen.filter((r) => r.key.startsWith('burst:'));
    const expected = keys.flatMap((key, i) => (i % 4 === 3 ? [[key, `a${i}`], [`${key}b`, `b${i}`]] : [[key, `v${i}`]]));
    expect(burst.map((r) => [r.key, r.value?.toString()])).toEqual(expected);
    // Each append's positions are its own records' offsets.
    const offsetOf = new Map(burst.map((r) => [r.key, r.offset]));
    keys.forEach((key, i) => {
      const own = i % 4 === 3 ? [key, `${key}b`] : [key];
      expect(positions[i].map((p) => p.offset)).toEqual(own.map((k) => offsetOf.get(k)));
    });
  });

  it('refuses appends after close', async () => {
    const log = open();
    await log.load(() => undefined);
    await log.close();
    await expect(log.append('k', 'v')).rejects.toMatchObject({ code: 'SWB_ERR_BUS_COMPACTED_LOG_CLOSED' });
  });
});
