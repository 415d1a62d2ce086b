import type { Bus } from '../../hub/bus/index.js';
import type { ConnectorWorker } from '../../hub/runtime/connector-worker.js';
import type { WorkerStats } from '../../hub/runtime/worker-stats.js';
import type { ConnectorDefinition } from '../../hub/sdk/index.js';
import { eventually } from './isolation.js';

/**
 * Waits until a worker's own counters satisfy `done`, and returns a copy of them. This is how a
 * test knows the runtime has settled records (applied, skipped as duplicates, retried, parked,
 * dead-lettered) before it asserts that something did NOT happen: state, not elapsed time.
 *
 * @example
 * ```ts
 * await rig.stack.publish('switchboard.erp.PurchaseOrderPlaced', po.purchaseOrderNumber, po, { id: first.id }); // a duplicate
 * await statsWhen(rig.worker, 'the duplicate skipped', (stats) => stats.skipped >= 1);
 * expect(await expected('SKU-CHAIR-01')).toHaveLength(1);
 * ```
 */
export async function statsWhen(worker: ConnectorWorker, what: string, done: (stats: WorkerStats) => boolean, timeoutMs = 30_000): Promise<WorkerStats> {
  return eventually(() => (done(worker.stats) ? { ...worker.stats } : undefined), timeoutMs, what);
}

/**
 * The same connector with short backoff (retries 100–300 ms, parking 500–1000 ms), so a test of
 * "a dependency arrives later" settles in seconds instead of minutes; the mapping is unchanged.
 */
export function withFastRetries(connector: ConnectorDefinition): ConnectorDefinition {
  return { ...connector, options: { ...connector.options, retryInitialMs: 100, retryMaxMs: 300, parkInitialMs: 500, parkMaxMs: 1000 } };
}

/**
 * Waits until a consumer group has committed every record of `topics` (its committed offset of
 * each partition equals the end offset): the runtime has settled all of them, nothing is in
 * flight, and a count taken now is final.
 *
 * @example
 * ```ts
 * await committedToEnd(stack.bus, worker.groups.main, worker.topics.sources);
 * expect(target.effects()).toHaveLength(240);
 * ```
 */
export async function committedToEnd(bus: Bus, groupId: string, topics: readonly string[], timeoutMs = 60_000): Promise<void> {
  const admin = bus.admin();
  await admin.connect();
  try {
    await eventually(async () => {
      const committed = new Map((await admin.committedOffsets(groupId, topics)).map((c) => [`${c.topic}:${c.partition}`, BigInt(c.offset)]));
      for (const topic of topics) {
        for (const { partition, high, low } of await admin.topicOffsets(topic)) {
          if (BigInt(high) === BigInt(low)) continue;
          if ((committed.get(`${topic}:${partition}`) ?? -1n) < BigInt(high)) return undefined;
        }
      }
      return true;
    }, timeoutMs, `group ${groupId} committed to the end of ${topics.join(', ')}`);
  } finally {
    await admin.close();
  }
}
