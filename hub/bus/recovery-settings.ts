/**
 * How the kafkajs clients retry, and how soon a consumer group notices a member is gone: the
 * settings that decide how fast the hub resumes after a broker comes back (measured with
 * `npm run chaos`, scenario broker-crash; docs/guarantees.md, "A broker outage").
 *
 * kafkajs's defaults cap a retry delay at 30 s and give up after a handful of tries. During a
 * 20 s outage a client then sits in a long wait when the broker returns, and a consumer that
 * gave up restarts only after its last delay (up to 30 s) as a NEW group member, whose join
 * waits until the coordinator drops the old member: one session timeout (30 s by default)
 * after the restarted broker loaded the group. Here every delay is capped at 1 s (a client
 * reconnects within a second of the broker's return) and the session timeout is 6 s.
 */

/** Connection and metadata retries of every client (admin, and the base of the others): 200 ms doubling to 1 s, 10 tries. */
export const CLIENT_RETRY = Object.freeze({ initialRetryTime: 200, maxRetryTime: 1000, retries: 10 });

/** A consumer's fetch and group retries: about 20 s of tries before it restarts itself (≤ 1 s later). */
export const CONSUMER_RETRY = Object.freeze({ initialRetryTime: 200, maxRetryTime: 1000, retries: 20 });

/**
 * A producer's retries of one request: under a second, then the caller (outbox relay, failure
 * sink, the runtime's wait for Kafka) retries with its own backoff, checking whether it should
 * stop. Longer retries inside kafkajs kept events in flight for ~8 s after a rebalance told the
 * worker to let go of them, holding up the group's rejoin.
 */
export const PRODUCER_RETRY = Object.freeze({ initialRetryTime: 100, maxRetryTime: 1000, retries: 3 });

/**
 * How soon a silent member's partitions move to another, and so how long a member restarted
 * after a broker outage waits for its old self to be dropped: kafkajs has no static membership,
 * so a consumer that restarted during the outage joins as a new member, and the coordinator,
 * which loaded the old members with the group, holds the rebalance until they expire. Kafka's
 * floor, 6 s (`group.min.session.timeout.ms`).
 */
export const CONSUMER_SESSION_TIMEOUT_MS = 6000;

/**
 * A consumer's heartbeat interval for its session timeout: a third of it, as Kafka advises.
 * (kafkajs sends heartbeats only between fetches, and at most once per interval.)
 *
 * @example
 * ```ts
 * heartbeatIntervalOf(6000); // 2000
 * ```
 */
export function heartbeatIntervalOf(sessionTimeoutMs: number): number {
  return Math.floor(sessionTimeoutMs / 3);
}
