/**
 * A missing dependency that never appears: retried round after round (beyond maxParkRounds),
 * counted, logged on its first park only, and dead-lettered with the reason once its deadline
 * (`missingDependencyDeadlineMs`, from its first failure) has passed.
 */
import { Writable } from 'node:stream';
import { jest } from '@jest/globals';
import pino from 'pino';
import { startKitStack, type KitStack } from '../kit/kit-stack.js';
import { RecordingTarget } from '../kit/recording-target.js';
import { dependentTestConnector, orderPlaced } from '../kit/test-connectors.js';
import { eventually } from '../kit/isolation.js';
import { statsWhen } from '../kit/worker-state.js';

jest.setTimeout(120_000);

const CONNECTOR = 'dependency-deadline';
const lines: { level: number; msg: string; code?: string }[] = [];
let stack: KitStack;
let target: RecordingTarget;

beforeAll(async () => {
  target = await RecordingTarget.start();
  const logger = pino({ level: 'debug' }, new Writable({ write: (chunk: Buffer, _encoding, done) => { lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string }); done(); } }));
  stack = await startKitStack({ label: 'deadline', systemUrls: { erp: target.url }, logger });
});
afterAll(async () => {
  await stack?.close();
  await target?.close();
});

it('keeps retrying a missing dependency until its deadline, then dead-letters it with what was missing', async () => {
  // One park round allowed, yet the deadline (4 s) lets it go round several times.
  const worker = await stack.startWorker(dependentTestConnector(CONNECTOR, { maxParkRounds: 1, parkInitialMs: 300, parkMaxMs: 600, missingDependencyDeadlineMs: 4000 }));
  await stack.publish('switchboard.crm.OrderPlaced', 'D-1', orderPlaced('D-1', 1, 'C-NEVER'));

  const [letter] = await eventually(async () => {
    const found = await stack.deadLetters.list(CONNECTOR);
    return found.length > 0 ? found : undefined;
  }, 60_000, 'the dead letter of D-1');
  expect(letter).toMatchObject({ key: 'D-1', errorCode: 'SWB_ERR_RUNTIME_DEPENDENCY_DEADLINE' });
  expect(letter.errorMessage).toMatch(/no ERP account for CRM customer C-NEVER yet/);
  expect(letter.errorMessage).toMatch(/deadline 4 s/);
  const stats = await statsWhen(worker, 'the dead letter counted', (s) => s.deadLettered === 1);
  // More rounds than maxParkRounds: the deadline, not the round count, decided.
  expect(stats.parked).toBeGreaterThan(1);
  expect(stats.retried).toBeGreaterThan(stats.parked);
  expect(target.effects()).toEqual([]);

  // Logged on its first park and when dead-lettered; later rounds only in the counters.
  const warnings = lines.filter((line) => line.level >= 40);
  expect(warnings.filter((line) => line.msg.startsWith('parked for retry'))).toHaveLength(1);
  expect(warnings.filter((line) => line.msg.startsWith('dead-lettered'))).toHaveLength(1);
  expect(lines.filter((line) => line.msg.startsWith('parked for retry')).length).toBe(stats.parked);
  await worker.stop();
});
