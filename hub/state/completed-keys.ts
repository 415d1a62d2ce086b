import type { Redis } from 'ioredis';
import { stateKey } from './redis.js';
import { stateCall } from './state-errors.js';

/**
 * Idempotency keys whose effect is done, remembered in Redis for a while: the runtime checks
 * them before performing an effect a target cannot deduplicate itself (producing an event),
 * and skips whole events that were already applied when they are redelivered. Redis being
 * away surfaces as a retriable StateUnavailableError.
 */
export class CompletedKeys {
  constructor(
    private readonly redis: Redis,
    private readonly namespace: string,
    private readonly ttlSeconds: number,
  ) {}

  async has(idempotencyKey: string): Promise<boolean> {
    return (await stateCall('completed-key check', () => this.redis.exists(this.key(idempotencyKey)))) === 1;
  }

  async add(idempotencyKey: string): Promise<void> {
    await stateCall('completed-key write', () => this.redis.set(this.key(idempotencyKey), String(Date.now()), 'EX', this.ttlSeconds));
  }

  private key(idempotencyKey: string): string {
    return stateKey(this.namespace, 'done', idempotencyKey);
  }
}
