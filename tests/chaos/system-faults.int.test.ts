/**
 * The chaos suite's short version (one trial, few orders) on one system of the processes
 * `switchboard up` runs, with three workers, on a private stack (its own Kafka, Redis and
 * Toxiproxy in front of the ERP): worker crash loop, service crashes, a flaky network, Redis
 * restarted empty, the broker killed and restarted. Every accepted order ends with its effects
 * exactly once, nothing is dead-lettered, and no event is left stalled. The long version with
 * the figures: `npm run chaos` (bench/CHAOS.md).
 */
import { jest } from '@jest/globals';
import { ToxiproxyClient } from '../../stack/index.js';
import { startPrivateStack, type PrivateStack } from '../kit/private-stack.js';
import { startSystem, withSystemLog, type RunningSystem } from '../kit/system.js';
import { freePort } from '../kit/ports.js';
import { SCENARIOS, type ChaosContext, type TrialSize } from './scenarios.js';

jest.setTimeout(600_000);

const SIZE: TrialSize = { orders: 30, perSecond: 5, drainTimeoutMs: 180_000 };
let stack: PrivateStack;
let system: RunningSystem;
let context: ChaosContext;

beforeAll(async () => {
  stack = await startPrivateStack({ label: 'chaos', brokers: 1, with: ['toxiproxy'] });
  const client = new ToxiproxyClient(stack.toxiproxyUrl ?? '');
  system = await startSystem({
    stack: { bus: stack.bus, redisUrl: stack.redisUrl },
    workers: 3,
    // Outages here last 20 s: a shorter stall deadline lets the watchdog see them.
    env: { WORKER_STALL_TIMEOUT_MS: '10000' },
    workerUrls: async (urls) => {
      const listen = `127.0.0.1:${await freePort()}`;
      await client.createProxy({ name: 'erp', listen, upstream: urls.erp.replace('http://', '') });
      return { erp: `http://${listen}` };
    },
  });
  context = { system, stack, toxiproxy: { client, proxy: 'erp' }, log: (line) => process.stderr.write(`${line}\n`) };
}, 600_000);

afterAll(async () => {
  await system?.stop();
  await stack?.stop();
}, 120_000);

describe.each(SCENARIOS.map((scenario) => [scenario.name, scenario] as const))('%s', (_name, scenario) => {
  it(`${scenario.title}: every accepted order applied exactly once, nothing dead-lettered, no stall left`, () => withSystemLog(system, async () => {
    const result = await scenario.run(context, SIZE, 1);
    process.stderr.write(`${JSON.stringify(result)}\n`);
    expect(result).toMatchObject({ duplicated: 0, lost: 0, deadLetters: 0, stalledAtEnd: 0 });
    expect(result.accepted).toBe(result.sent);
    expect(result.applied).toBe(result.accepted);
    expect(result.drainMs).not.toBeNull();
    if (result.reordered !== undefined) expect(result.reordered).toBe(0);
  }), 600_000);
});
