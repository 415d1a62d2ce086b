import { createRequire } from 'node:module';

/** What the fixes need of a request kafkajs has sent and awaits the answer of. */
interface InflightRequest {
  readonly correlationId: number;
  readonly sentAt: number | null;
  readonly requestTimeout: number;
  timeoutRequest(): void;
}

/** What the fixes need of kafkajs's internal RequestQueue (one per broker connection). */
interface RequestQueue {
  pending: unknown[];
  throttledUntil: number;
  readonly inflight: Map<number, InflightRequest>;
  readonly enforceRequestTimeout: boolean;
  isConnected(): boolean;
  destroy(): void;
  /** The one timer that times out the queue's requests, and when it fires (set by the fix). */
  switchboardTimeoutCheck?: NodeJS.Timeout;
  switchboardTimeoutCheckAt?: number;
}

interface RequestQueuePrototype {
  scheduleCheckPendingRequests(this: RequestQueue): void;
  scheduleRequestTimeoutCheck(this: RequestQueue): void;
  sendSocketRequest(this: RequestQueue, socketRequest: InflightRequest): void;
  destroy(this: RequestQueue): void;
  switchboardIdleFix?: true;
}

/** The kafkajs release whose code these fixes were written against. */
const FIXED_VERSION = '2.2.4';

/**
 * Stops kafkajs 2.2.4's two idle timer loops, which every broker connection runs for as long as
 * it lives. A worker has a hundred connections (a seed and a broker connection for each
 * consumer, admin client and producer), so on an idle worker these timers were most of its CPU
 * (bench/COMPARISONS.md, "The idle worker's CPU").
 *
 * - **Pending requests.** The request queue reschedules its check of pending requests after each
 *   check, with a negative delay when it is not throttled, even when nothing is pending: a 1 ms
 *   `setTimeout` loop (tulios/kafkajs#1556, #1704; fixed in open pull requests, no release since).
 *   Fixed: with nothing pending and no throttle in force there is nothing to check later (a
 *   request that arrives is sent at once, or queued, which schedules its own check).
 * - **Request timeouts.** The queue checks its in-flight requests for a timeout every 100 ms
 *   (`setInterval`), also when none is in flight. Fixed: one timer per queue, set for the
 *   earliest deadline of its in-flight requests when a request is sent, and set again when it
 *   fires while requests remain. Requests time out as before (a little sooner: at their
 *   deadline, not up to 100 ms after it); a queue with nothing in flight has no timer.
 *
 * Applied once, only to the pinned 2.2.4 (another version is left as it is: its code may differ);
 * the rest of kafkajs is untouched.
 */
export function fixKafkajsIdleLoop(): boolean {
  const require = createRequire(import.meta.url);
  const { version } = require('kafkajs/package.json') as { version: string };
  if (version !== FIXED_VERSION) return false;
  const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as { prototype: RequestQueuePrototype };
  const prototype = RequestQueue.prototype;
  if (prototype.switchboardIdleFix) return true;

  const checkPending = prototype.scheduleCheckPendingRequests;
  prototype.scheduleCheckPendingRequests = function scheduleCheckPendingRequests() {
    if (this.pending.length === 0 && this.throttledUntil <= Date.now()) return;
    checkPending.call(this);
  };

  const destroy = prototype.destroy;
  prototype.destroy = function destroyQueue() {
    destroy.call(this);
    clearTimeoutCheck(this);
  };
  // Called by the connection once connected: the original starts its 100 ms interval here.
  prototype.scheduleRequestTimeoutCheck = function scheduleRequestTimeoutCheck() {
    if (!this.enforceRequestTimeout) return;
    this.destroy();
    armTimeoutCheck(this);
  };
  const send = prototype.sendSocketRequest;
  prototype.sendSocketRequest = function sendSocketRequest(socketRequest) {
    send.call(this, socketRequest);
    // Only this request's deadline can be sooner than the armed one: no scan of the others per send.
    if (this.enforceRequestTimeout && socketRequest.sentAt !== null && this.inflight.has(socketRequest.correlationId)) {
      armTimeoutAt(this, socketRequest.sentAt + socketRequest.requestTimeout);
    }
  };

  prototype.switchboardIdleFix = true;
  return true;
}

function clearTimeoutCheck(queue: RequestQueue): void {
  if (queue.switchboardTimeoutCheck) clearTimeout(queue.switchboardTimeoutCheck);
  queue.switchboardTimeoutCheck = undefined;
  queue.switchboardTimeoutCheckAt = undefined;
}

/** Sets the queue's timer for its earliest in-flight deadline (none when nothing is in flight). */
function armTimeoutCheck(queue: RequestQueue): void {
  let earliest = Infinity;
  for (const request of queue.inflight.values()) {
    if (request.sentAt !== null) earliest = Math.min(earliest, request.sentAt + request.requestTimeout);
  }
  if (earliest !== Infinity) armTimeoutAt(queue, earliest);
}

/** Sets the queue's timer for `earliest`, unless one is set for that time or sooner. */
function armTimeoutAt(queue: RequestQueue, earliest: number): void {
  if (queue.switchboardTimeoutCheckAt !== undefined && queue.switchboardTimeoutCheckAt <= earliest) return;
  clearTimeoutCheck(queue);
  // +1: kafkajs times a request out once it has waited longer than its timeout.
  const timer = setTimeout(() => checkTimeouts(queue), Math.max(0, earliest - Date.now()) + 1);
  // The connection's socket keeps the process alive while a request is in flight; this timer need not.
  timer.unref();
  queue.switchboardTimeoutCheck = timer;
  queue.switchboardTimeoutCheckAt = earliest;
}

/** What kafkajs's interval did each 100 ms, now once per deadline. */
function checkTimeouts(queue: RequestQueue): void {
  queue.switchboardTimeoutCheck = undefined;
  queue.switchboardTimeoutCheckAt = undefined;
  const now = Date.now();
  for (const request of [...queue.inflight.values()]) {
    if (request.sentAt !== null && now - request.sentAt > request.requestTimeout) request.timeoutRequest();
  }
  if (!queue.isConnected()) {
    queue.destroy();
    return;
  }
  armTimeoutCheck(queue);
}
