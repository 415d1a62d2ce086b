import { createRequire } from 'node:module';
import { fixKafkajsIdleLoop } from './kafkajs-idle-fix.js';

/**
 * kafkajs's own request queue (one per broker connection), with the fix applied: what every client
 * here runs. Its request timeout is 50 ms; a request may ask for longer (kafkajs takes the longer one).
 */
interface Queue {
  push(request: { entry: Entry; expectResponse: boolean; sendRequest: () => void; requestTimeout: number }): void;
  fulfillRequest(answer: { correlationId: number; payload: Buffer; size: number }): void;
  scheduleRequestTimeoutCheck(): void;
  destroy(): void;
  readonly inflight: Map<number, unknown>;
  readonly requestTimeoutIntervalId?: NodeJS.Timeout;
  readonly switchboardTimeoutCheck?: NodeJS.Timeout;
}
interface Entry {
  correlationId: number;
  apiKey: number;
  apiName: string;
  apiVersion: number;
  resolve: (answer: unknown) => void;
  reject: (error: Error) => void;
}

const require = createRequire(import.meta.url);
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function newQueue(): Queue {
  const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as new (options: object) => Queue;
  const queue = new RequestQueue({ maxInFlightRequests: null, requestTimeout: 50, enforceRequestTimeout: true, clientId: 'test', broker: '127.0.0.1:1', logger: quiet, isConnected: () => true });
  queue.scheduleRequestTimeoutCheck();
  return queue;
}

/** Sends a request nobody answers unless the test does; resolves or rejects as kafkajs settles it. */
function send(queue: Queue, correlationId: number, requestTimeout: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    queue.push({ entry: { correlationId, apiKey: 12, apiName: 'Heartbeat', apiVersion: 1, resolve, reject }, expectResponse: true, sendRequest: () => undefined, requestTimeout });
  });
}

describe('fixKafkajsIdleLoop', () => {
  beforeAll(() => expect(fixKafkajsIdleLoop()).toBe(true));

  it('leaves a connection with nothing in flight without a timer (kafkajs ran a 100 ms interval for its whole life)', () => {
    const queue = newQueue();
    expect(queue.requestTimeoutIntervalId).toBeUndefined();
    expect(queue.switchboardTimeoutCheck).toBeUndefined();
    queue.destroy();
  });

  it('still times out a request that gets no answer, and holds no timer after it', async () => {
    const queue = newQueue();
    await expect(send(queue, 1, 50)).rejects.toMatchObject({ name: 'KafkaJSRequestTimeoutError' });
    expect(queue.inflight.size).toBe(0);
    expect(queue.switchboardTimeoutCheck).toBeUndefined();
  });

  it('times out a later request with an earlier deadline first, and answers the other', async () => {
    const queue = newQueue();
    const slow = send(queue, 1, 60_000);
    await expect(send(queue, 2, 50)).rejects.toMatchObject({ name: 'KafkaJSRequestTimeoutError' });
    // The long one is still in flight, watched by the timer, and its answer settles it.
    expect([...queue.inflight.keys()]).toEqual([1]);
    expect(queue.switchboardTimeoutCheck).toBeDefined();
    queue.fulfillRequest({ correlationId: 1, payload: Buffer.alloc(0), size: 0 });
    await expect(slow).resolves.toMatchObject({ correlationId: 1 });
    queue.destroy();
    expect(queue.switchboardTimeoutCheck).toBeUndefined();
  });
});
