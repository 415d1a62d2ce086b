/** The CI chaos tests' shared assertions on a trial's result (tests/chaos/*.int.test.ts). */
import { expect } from '@jest/globals';
import type { Scenario, TrialResult } from './scenarios.js';

/**
 * What every chaos trial in CI must show: each accepted order applied exactly once, nothing
 * dead-lettered, no event left stalled, the orders drained (and, where checked, in order). A
 * scenario that `provokesStall` must also have had the watchdog report events while it lasted.
 *
 * @example
 * ```ts
 * expectEveryOrderOnce(scenario, await scenario.run(context, SIZE, 1));
 * ```
 */
export function expectEveryOrderOnce(scenario: Scenario, result: TrialResult): void {
  expect(result).toMatchObject({ duplicated: 0, lost: 0, deadLetters: 0, stalledAtEnd: 0 });
  expect(result.accepted).toBe(result.sent);
  expect(result.applied).toBe(result.accepted);
  expect(result.drainMs).not.toBeNull();
  if (result.reordered !== undefined) expect(result.reordered).toBe(0);
  if (scenario.provokesStall) expect(result.stallsSeen).toBeGreaterThan(0);
}
