/**
 * Redis dies in the middle of a stream and comes back empty (a private Redis; Kafka is the
 * shared one): completed keys, parked keys and cross-references are gone. Redis errors met in
 * the middle of an event (the parked-key check, the completed-key check and write, the
 * cross-reference lookup inside the mapping) are retried, never dead-lettered; the
 * cross-references are rebuilt from their compacted topic; every order is applied exactly once.
 */
import { jest } from '@jest/globals';
import { startKitStack, type KitStack } from '../kit/kit-stack.js';
import { startPrivateStack, type PrivateStack } from '../kit/private-stack.js';
import { RecordingTarget } from '../kit/recording-target.js';
import { dependentTestConnector, orderPlaced } from '../kit/test-connectors.js';
import { eventually } from '../kit/isolation.js';
import { committedToEnd, statsWhen } from '../kit/worker-state.js';

jest.setTimeout(240_000);

const CONNECTOR = 'redis-outage';
let privateStack: PrivateStack;
let stack: KitStack;
let target: RecordingTarget;

beforeAll(async () => {
  privateStack = await startPrivateStack({ label: 'redis-outage', brokers: 0 });
  target = await RecordingTarget.start({ respond: ({ id }) => ({ id }) });
  stack = await startKitStack({ label: 'redisout', systemUrls: { erp: target.url }, redisUrl: privateStack.redisUrl });
}, 120_000);
afterAll(async () => {
  await stack?.close();
  await target?.close();
  await privateStack?.stop();
});

it('retries every Redis error in the middle of an event, rebuilds the cross-references, and applies each order once', async () => {
  await stack.services.xref.put('customer', { crm: 'C-R', erp: 'A-R' });
  // Slow answers keep events in flight (between their checks and their completed key) when Redis dies.
  target.setDelay(150);
  const worker = await stack.startWorker(dependentTestConnector(CONNECTOR, { maxAttempts: 3, parkInitialMs: 300, parkMaxMs: 1000 }));
  const orders = Array.from({ length: 60 }, (_, i) => `RO-${i}`);
  const publish = async (batch: readonly string[]) => {
    for (const [i, order] of batch.entries()) {
      await stack.publish('switchboard.crm.OrderPlaced', order, orderPlaced(order, 1, 'C-R'));
      if (i % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 300));
    }
  };
  const publishing = publish(orders.slice(0, 30));
  await eventually(() => (target.effects().length >= 10 ? true : undefined), 60_000, 'the first orders applied');
  await privateStack.killRedis();
  // The rest is published while Redis is away: those events meet it gone, however fast the first ones went.
  await publishing;
  await publish(orders.slice(30));
  await statsWhen(worker, 'Redis errors met and retried', (stats) => stats.lastError?.code === 'SWB_ERR_STATE_UNAVAILABLE');
  await privateStack.startRedis();

  await committedToEnd(stack.bus, worker.groups.main, worker.topics.sources, 120_000);
  await eventually(() => {
    const perOrder = new Map<string, number>();
    for (const call of target.effects()) perOrder.set((call.body as { orderId: string }).orderId, (perOrder.get((call.body as { orderId: string }).orderId) ?? 0) + 1);
    return orders.every((order) => perOrder.has(order)) ? perOrder : undefined;
  }, 120_000, 'every order applied');
  const perOrder = new Map<string, number>();
  for (const call of target.effects()) perOrder.set((call.body as { orderId: string }).orderId, (perOrder.get((call.body as { orderId: string }).orderId) ?? 0) + 1);
  expect(orders.filter((order) => perOrder.get(order) !== 1)).toEqual([]);
  expect(await stack.deadLetters.list(CONNECTOR)).toEqual([]);
  expect(worker.stats.deadLettered).toBe(0);
  expect(worker.stats.retried).toBeGreaterThan(0);
  // The empty Redis got its cross-references back from the compacted topic.
  expect(await stack.services.xref.get('customer', 'crm', 'C-R', 'erp')).toBe('A-R');
  await worker.stop();
});
