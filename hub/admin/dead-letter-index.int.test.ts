/**
 * The in-memory dead-letter index on the real broker: it reads every dead-letter topic to its end
 * at start, follows what is written later, keeps at most `limit` dead letters and its payload
 * budget, and reads a dropped payload back from the topic.
 */
import { Bus, loadBusConfig } from '../bus/index.js';
import { createLogger } from '../log/logger.js';
import { deadLetterTopic } from '../runtime/connector-topics.js';
import { RUNTIME_HEADER } from '../runtime/record-headers.js';
import { eventually, uniquePrefix } from '../../tests/kit/isolation.js';
import type { AdminConnector } from './admin-connectors.js';
import { DeadLetterIndex } from './dead-letter-index.js';

const logger = createLogger('dlq-index-test', { level: 'warn' });
const prefix = uniquePrefix('dlqi');
const bus = new Bus(loadBusConfig(), logger, 'dlq-index-test');
const admin = bus.admin();
const producer = bus.producer();
const connectors: AdminConnector[] = ['one', 'two'].map((name) => ({
  name, description: name, target: 'erp', sources: [], eventTypes: [],
  groups: { main: `${prefix}g.${name}`, retry: `${prefix}g.${name}.retry` },
  retryTopic: `${prefix}switchboard.retry.${name}`, deadLetterTopic: `${prefix}switchboard.dlq.${name}`,
}));

/** Dead-letters `count` records of `connector` as the runtime would (its headers, a small payload). */
async function deadLetter(connector: AdminConnector, from: number, count: number): Promise<void> {
  await producer.sendAll(Array.from({ length: count }, (_, i) => ({
    topic: connector.deadLetterTopic,
    key: `K-${from + i}`,
    value: Buffer.from(`payload ${from + i} `.repeat(80)),
    headers: { ce_id: `id-${from + i}`, [RUNTIME_HEADER.errorCode]: i % 2 ? 'SWB_ERR_RUNTIME_MAPPING' : 'SWB_ERR_RUNTIME_TARGET_REJECTED', [RUNTIME_HEADER.errorMessage]: `failure ${from + i}`, [RUNTIME_HEADER.attempts]: '1' },
  })));
}

beforeAll(async () => {
  await admin.connect();
  await admin.createMissing(connectors.map((connector) => deadLetterTopic(connector.deadLetterTopic, bus.config)));
});
afterAll(async () => {
  await producer.close();
  await admin.delete(connectors.map((connector) => connector.deadLetterTopic));
  await admin.close();
});

it('reads every dead-letter topic, follows new dead letters, keeps the newest within its limits and reads dropped payloads back', async () => {
  const [one, two] = connectors;
  await deadLetter(one, 0, 4);
  await deadLetter(two, 100, 2);
  // Room for 5 dead letters and one payload (each about 1 KB).
  const index = new DeadLetterIndex({ bus, connectors, limit: 5, valueBudgetBytes: 1500, logger });
  await index.start();
  try {
    const ids = (connector: AdminConnector) => [...index.letters(connector.name)].map((entry) => entry.letter.key);
    // Six were written before the start: the oldest one dropped out (arrival order across topics may vary).
    expect(ids(one).length + ids(two).length).toBe(5);
    expect(index.dropped(one.name) + index.dropped(two.name)).toBe(1);

    await deadLetter(one, 4, 3);
    await eventually(() => (ids(one).at(-1) === 'K-6' ? true : undefined), 30_000, 'the new dead letters followed');
    expect(ids(one).length + ids(two).length).toBe(5);
    expect(ids(one).slice(-3)).toEqual(['K-4', 'K-5', 'K-6']);

    const newest = index.get(one.name, `0:6`);
    expect(newest?.payload?.value?.toString()).toContain('payload 6');
    expect(newest?.letter).toMatchObject({ errorCode: 'SWB_ERR_RUNTIME_TARGET_REJECTED', errorMessage: 'failure 6', key: 'K-6', eventId: 'id-6' });
    const oldest = [...index.letters(one.name)][0];
    expect(oldest.payload).toBeUndefined();
    const readBack = await index.readPayload(oldest);
    expect(readBack.value?.toString()).toContain(`payload ${oldest.letter.key?.slice(2)} `);
    expect(readBack.headers.ce_id).toBe(oldest.letter.eventId);
  } finally {
    await index.stop();
  }
});
