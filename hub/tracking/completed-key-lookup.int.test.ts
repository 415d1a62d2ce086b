/**
 * CompletedKeyLookup against the local Redis: the completed keys of many events asked in one turn
 * come back to each asker in its own order, missing ones as null, and a Redis that does not answer
 * yields nulls (the settler looks again) instead of failing the projection.
 */
import { uniquePrefix } from '../../tests/kit/isolation.js';
import { createLogger } from '../log/logger.js';
import { createRedis, loadRedisUrl, stateKey, type Redis } from '../state/redis.js';
import { CompletedKeyLookup } from './completed-key-lookup.js';

const logger = createLogger('test', { level: 'silent' });

describe('CompletedKeyLookup', () => {
  const prefix = uniquePrefix('ckl');
  let redis: Redis;
  beforeAll(() => { redis = createRedis(loadRedisUrl(), logger, 'test'); });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('answers every event asked in one turn with its connectors\' applied times, null where not applied', async () => {
    await redis.set(stateKey(prefix, 'done', 'to-erp:e1'), '1700000000123', 'EX', 60);
    await redis.set(stateKey(prefix, 'done', 'to-crm:e2'), '1700000000456', 'EX', 60);
    const lookup = new CompletedKeyLookup(redis, prefix, logger);
    const answers = await Promise.all([
      lookup.appliedAt('e1', ['to-erp', 'to-scm']),
      lookup.appliedAt('e2', []),
      lookup.appliedAt('e2', ['to-scm', 'to-crm']),
      lookup.appliedAt('e3', ['to-erp']),
    ]);
    expect(answers).toEqual([[1700000000123, null], [], [null, 1700000000456], [null]]);
  });

  it('answers null for every key when Redis does not answer', async () => {
    const closed = createRedis(loadRedisUrl(), logger, 'test');
    closed.disconnect();
    const lookup = new CompletedKeyLookup(closed, prefix, logger);
    await expect(lookup.appliedAt('e1', ['to-erp', 'to-scm'])).resolves.toEqual([null, null]);
  });
});
