import { createRequire } from 'node:module';

/** What the fix needs of kafkajs's internal RequestQueue (one per broker connection). */
interface RequestQueuePrototype {
  scheduleCheckPendingRequests(this: { pending: unknown[]; throttledUntil: number }): void;
  switchboardIdleFix?: true;
}

/** The kafkajs release whose code this fix was written against. */
const FIXED_VERSION = '2.2.4';

/**
 * Stops kafkajs 2.2.4's idle timer loop. Every broker connection's request queue reschedules its
 * check of pending requests after each check, with a negative delay when it is not throttled,
 * even when nothing is pending: a 1 ms `setTimeout` loop per connection, for as long as the
 * connection lives (tulios/kafkajs#1556, #1704; fixed in open pull requests, no release since).
 * A worker has some sixty connections (two consumers, an admin client per connector, ...): that
 * loop was most of its 10–12 % of a core while idle, and a timer callback per connection per
 * millisecond under load too (bench/COMPARISONS.md).
 *
 * The fix wraps the one method: with nothing pending and no throttle in force there is nothing
 * to check later (a request that arrives is sent at once, or queued, which schedules its own
 * check; a throttle schedules its own). Applied once, only to the pinned 2.2.4 (another version
 * is left as it is: its code may differ); the rest of kafkajs is untouched.
 */
export function fixKafkajsIdleLoop(): boolean {
  const require = createRequire(import.meta.url);
  const { version } = require('kafkajs/package.json') as { version: string };
  if (version !== FIXED_VERSION) return false;
  const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as { prototype: RequestQueuePrototype };
  const prototype = RequestQueue.prototype;
  if (prototype.switchboardIdleFix) return true;
  const original = prototype.scheduleCheckPendingRequests;
  prototype.scheduleCheckPendingRequests = function scheduleCheckPendingRequests() {
    if (this.pending.length === 0 && this.throttledUntil <= Date.now()) return;
    original.call(this);
  };
  prototype.switchboardIdleFix = true;
  return true;
}
