/**
 * The chaos suite's short version (one trial, few orders) on one system of the processes
 * `switchboard up` runs, with three workers, on a private stack (its own Kafka, Redis and
 * Toxiproxy in front of the ERP): worker crash loop, service crashes, a flaky network, a target
 * slower than the stall deadline (the watchdog must report it), Redis restarted empty, the broker
 * killed and restarted. Every accepted order ends with its effects exactly once, nothing is
 * dead-lettered, and no event is left stalled. The long version with
 * the figures: `npm run chaos` (bench/CHAOS.md).
 */
import { jest } from '@jest/globals';
import { withSystemLog } from '../kit/system.js';
import { startChaosSystem, type ChaosSystem } from './chaos-system.js';
import { SCENARIOS, type TrialSize } from './scenarios.js';
import { expectEveryOrderOnce } from './trial-expectations.js';

jest.setTimeout(600_000);

const SIZE: TrialSize = { orders: 30, perSecond: 5, drainTimeoutMs: 180_000 };
let chaos: ChaosSystem;

beforeAll(async () => {
  chaos = await startChaosSystem(1, 'chaos', (line) => process.stderr.write(`${line}\n`));
}, 600_000);

afterAll(async () => {
  await chaos?.stop();
}, 120_000);

describe.each(SCENARIOS.map((scenario) => [scenario.name, scenario] as const))('%s', (_name, scenario) => {
  it(`${scenario.title}: every accepted order applied exactly once, nothing dead-lettered, no stall left${scenario.provokesStall ? ', stalls reported while it lasted' : ''}`, () => withSystemLog(chaos.context.system, async () => {
    const result = await scenario.run(chaos.context, SIZE, 1);
    process.stderr.write(`${JSON.stringify(result)}\n`);
    expectEveryOrderOnce(scenario, result);
  }), 600_000);
});
