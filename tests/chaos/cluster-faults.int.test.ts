/**
 * The chaos suite's short version on a three-broker cluster of its own (replication factor 3,
 * min.insync.replicas 2, acks=all): the processes `switchboard up` runs start on it (topics
 * created on three brokers, consumers subscribed while a broker may lag), then one broker is
 * killed for 20 s: the flow goes on, every accepted order ends with its effects exactly once and
 * nothing is dead-lettered. Two brokers down (cluster-two-down) runs only in `npm run chaos`: it
 * does not drain reliably yet (events left in flight after the brokers return; see bench/CHAOS.md).
 */
import { jest } from '@jest/globals';
import { startPrivateStack, type PrivateStack } from '../kit/private-stack.js';
import { startSystem, withSystemLog, type RunningSystem } from '../kit/system.js';
import { CLUSTER_SCENARIOS, type ChaosContext, type TrialSize } from './scenarios.js';

jest.setTimeout(600_000);

const SIZE: TrialSize = { orders: 20, perSecond: 5, drainTimeoutMs: 180_000 };
let stack: PrivateStack;
let system: RunningSystem;
let context: ChaosContext;

beforeAll(async () => {
  stack = await startPrivateStack({ label: 'chaos-cluster', brokers: 3 });
  system = await startSystem({ stack: { bus: stack.bus, redisUrl: stack.redisUrl }, workers: 3 });
  context = { system, stack, log: (line) => process.stderr.write(`${line}\n`) };
}, 600_000);

afterAll(async () => {
  await system?.stop();
  await stack?.stop();
}, 120_000);

it('the system runs on a cluster of three brokers with replication 3 and min ISR 2', () => {
  expect(stack.nodeIds).toHaveLength(3);
  expect(system.bus).toMatchObject({ replicationFactor: 3, minInsyncReplicas: 2 });
});

describe.each(CLUSTER_SCENARIOS.filter((scenario) => scenario.name === 'cluster-one-down').map((scenario) => [scenario.name, scenario] as const))('%s', (_name, scenario) => {
  it(`${scenario.title}: every accepted order applied exactly once, nothing dead-lettered`, () => withSystemLog(system, async () => {
    const result = await scenario.run(context, SIZE, 1);
    process.stderr.write(`${JSON.stringify(result)}\n`);
    expect(result).toMatchObject({ duplicated: 0, lost: 0, deadLetters: 0, stalledAtEnd: 0 });
    expect(result.accepted).toBe(result.sent);
    expect(result.applied).toBe(result.accepted);
    expect(result.drainMs).not.toBeNull();
  }), 600_000);
});
