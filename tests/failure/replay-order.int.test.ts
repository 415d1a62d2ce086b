/**
 * Replay keeps a key's order: a dead letter replayed after a later event of its key was applied
 * is refused (dead-lettered again as SWB_ERR_RUNTIME_REPLAY_STALE, with the later event's
 * position), so it cannot undo that event; a dead letter with nothing applied after it is
 * applied as usual.
 */
import { jest } from '@jest/globals';
import { startKitStack, type KitStack } from '../kit/kit-stack.js';
import { RecordingTarget } from '../kit/recording-target.js';
import { httpTestConnector, orderPlaced } from '../kit/test-connectors.js';
import { eventually } from '../kit/isolation.js';
import { committedToEnd, statsWhen } from '../kit/worker-state.js';

jest.setTimeout(120_000);

const CONNECTOR = 'replay-order';
let stack: KitStack;
let target: RecordingTarget;

beforeAll(async () => {
  target = await RecordingTarget.start();
  stack = await startKitStack({ label: 'replay', systemUrls: { erp: target.url } });
});
afterAll(async () => {
  await stack?.close();
  await target?.close();
});

/** The sequence numbers the target applied for `order`. */
const applied = (order: string) => target.effectsOn(`/orders/${order}/`).map((call) => (call.body as { seq: number }).seq);

it('refuses to replay a dead letter over a later event of its key, and replays one that nothing overtook', async () => {
  const worker = await stack.startWorker(httpTestConnector(CONNECTOR));
  // The first event of each key is refused by the target (422: dead-lettered at once).
  target.failNext(1, 422, '/orders/R-1/');
  target.failNext(1, 422, '/orders/S-1/');
  await stack.publish('switchboard.crm.OrderPlaced', 'R-1', orderPlaced('R-1', 1));
  await stack.publish('switchboard.crm.OrderPlaced', 'R-1', orderPlaced('R-1', 2)); // overtakes the dead letter
  await stack.publish('switchboard.crm.OrderPlaced', 'S-1', orderPlaced('S-1', 1)); // nothing after it
  await committedToEnd(stack.bus, worker.groups.main, worker.topics.sources);
  expect(applied('R-1')).toEqual([2]);
  expect(applied('S-1')).toEqual([]);

  const letters = await stack.deadLetters.list(CONNECTOR);
  const r1 = letters.find((letter) => letter.key === 'R-1');
  const s1 = letters.find((letter) => letter.key === 'S-1');
  expect(r1).toMatchObject({ errorCode: 'SWB_ERR_RUNTIME_TARGET_REJECTED' });
  expect(s1).toMatchObject({ errorCode: 'SWB_ERR_RUNTIME_TARGET_REJECTED' });

  // The cause is "fixed" (the target accepts now); the operator replays both.
  await stack.deadLetters.replay(CONNECTOR, r1?.id ?? '');
  await stack.deadLetters.replay(CONNECTOR, s1?.id ?? '');

  const refused = await eventually(async () => (await stack.deadLetters.list(CONNECTOR)).find((letter) => letter.errorCode === 'SWB_ERR_RUNTIME_REPLAY_STALE'), 60_000, 'the stale replay refused');
  expect(refused.key).toBe('R-1');
  expect(refused.eventId).toBe(r1?.eventId);
  expect(refused.errorMessage).toMatch(new RegExp(`later event of key R-1 was applied .* offset ${r1?.originalOffset === undefined ? '' : String(BigInt(r1.originalOffset) + 1n)}\\) after this one \\(offset ${r1?.originalOffset}\\)`));
  await eventually(() => (applied('S-1').length > 0 ? true : undefined), 60_000, 'the replay of S-1 applied');
  await statsWhen(worker, 'both replays settled', (stats) => stats.delivered >= 2 && stats.deadLettered >= 3);

  // R-1's later state stands; S-1's replay did what it should have done the first time.
  expect(applied('R-1')).toEqual([2]);
  expect(applied('S-1')).toEqual([1]);
  expect((await stack.deadLetters.list(CONNECTOR)).map((letter) => [letter.key, letter.errorCode])).toEqual([
    ['R-1', 'SWB_ERR_RUNTIME_TARGET_REJECTED'],
    ['S-1', 'SWB_ERR_RUNTIME_TARGET_REJECTED'],
    ['R-1', 'SWB_ERR_RUNTIME_REPLAY_STALE'],
  ]);
  await worker.stop();
});
