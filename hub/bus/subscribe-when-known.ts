import type { Consumer } from 'kafkajs';

/**
 * Subscribes `consumer` to `topics`, retrying for a while when a broker does not know a topic
 * yet: on a cluster, a broker may lag a moment behind the controllers after a topic is created
 * and answer "This server does not host this topic-partition" (UNKNOWN_TOPIC_OR_PARTITION).
 * Any other error, or the same one past the deadline, is thrown.
 *
 * @example
 * ```ts
 * await subscribeWhenKnown(consumer, ['crm.order.v1'], false);
 * ```
 */
export async function subscribeWhenKnown(consumer: Consumer, topics: readonly string[], fromBeginning: boolean, deadlineMs = 15_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (let delay = 100; ; delay = Math.min(delay * 2, 2000)) {
    try {
      await consumer.subscribe({ topics: [...topics], fromBeginning });
      return;
    } catch (error) {
      if ((error as { type?: unknown }).type !== 'UNKNOWN_TOPIC_OR_PARTITION' || Date.now() + delay > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
