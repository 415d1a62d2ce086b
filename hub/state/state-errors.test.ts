import { isRetriable } from '../errors/index.js';
import { StateUnavailableError, isRedisUnavailable, stateCall } from './state-errors.js';

/** Errors shaped like ioredis's (the classes come from its dependencies; only their names matter here). */
function named(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name, ...extra });
}

describe('Redis unavailability', () => {
  it('counts connection failures, timeouts and a loading server as unavailable, and Redis\'s own refusals as not', () => {
    expect(isRedisUnavailable(named('MaxRetriesPerRequestError', 'Reached the max retries per request limit (which is 3).'))).toBe(true);
    expect(isRedisUnavailable(new Error('Connection is closed.'))).toBe(true);
    expect(isRedisUnavailable(new Error('Command timed out'))).toBe(true);
    expect(isRedisUnavailable(named('Error', 'connect ECONNREFUSED 127.0.0.1:6390', { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isRedisUnavailable(named('ReplyError', 'LOADING Redis is loading the dataset in memory'))).toBe(true);
    expect(isRedisUnavailable(named('ReplyError', 'READONLY You can\'t write against a read only replica.'))).toBe(true);
    expect(isRedisUnavailable(named('ReplyError', 'WRONGTYPE Operation against a key holding the wrong kind of value'))).toBe(false);
    expect(isRedisUnavailable(new TypeError('Cannot read properties of undefined'))).toBe(false);
  });

  it('turns an unavailable Redis into a retriable StateUnavailableError naming the operation, and passes other failures on', async () => {
    const down = await stateCall('completed-key check', () => Promise.reject(named('MaxRetriesPerRequestError', 'Reached the max retries per request limit (which is 3).'))).catch((error: unknown) => error);
    expect(down).toBeInstanceOf(StateUnavailableError);
    expect(down).toMatchObject({ code: 'SWB_ERR_STATE_UNAVAILABLE', retriable: true, operation: 'completed-key check' });
    expect(isRetriable(down)).toBe(true);
    expect((down as Error).message).toMatch(/completed-key check.*max retries/);

    const refused = named('ReplyError', 'WRONGTYPE Operation against a key holding the wrong kind of value');
    await expect(stateCall('parked-key queue', () => Promise.reject(refused))).rejects.toBe(refused);
    await expect(stateCall('parked-key queue', () => Promise.resolve(3))).resolves.toBe(3);
  });
});
