/**
 * The system a chaos run works on, set up one way for the CI tests (`*.int.test.ts` here) and
 * `npm run chaos` (run.ts): a private stack (one broker with Toxiproxy in front of the ERP, or a
 * three-broker cluster), the processes `switchboard up` runs on it with three workers, and a
 * stall deadline (10 s) below the faults' 20 s, so the watchdog sees what they hold up.
 */
import { ToxiproxyClient } from '../../stack/index.js';
import { freePort } from '../kit/ports.js';
import { startPrivateStack } from '../kit/private-stack.js';
import { startSystem } from '../kit/system.js';
import type { ChaosContext } from './scenarios.js';

/** A running chaos system; `stop()` ends the system, then its stack. */
export interface ChaosSystem {
  readonly context: ChaosContext;
  stop(): Promise<void>;
}

/**
 * Starts a chaos system on `brokers` brokers of its own (never the shared Kafka or Redis).
 *
 * @example
 * ```ts
 * const chaos = await startChaosSystem(1, 'chaos', (line) => process.stderr.write(`${line}\n`));
 * const result = await SCENARIOS[0].run(chaos.context, { orders: 20, perSecond: 5, drainTimeoutMs: 180_000 }, 1);
 * await chaos.stop();
 * ```
 */
export async function startChaosSystem(brokers: 1 | 3, label: string, log: (line: string) => void): Promise<ChaosSystem> {
  const stack = await startPrivateStack({ label, brokers, with: brokers === 1 ? ['toxiproxy'] : [] });
  try {
    const client = stack.toxiproxyUrl ? new ToxiproxyClient(stack.toxiproxyUrl) : undefined;
    const system = await startSystem({
      stack: { bus: stack.bus, redisUrl: stack.redisUrl },
      workers: 3,
      env: { WORKER_STALL_TIMEOUT_MS: '10000' },
      ...(client ? {
        workerUrls: async (urls) => {
          const listen = `127.0.0.1:${await freePort()}`;
          await client.createProxy({ name: 'erp', listen, upstream: urls.erp.replace('http://', '') });
          return { erp: `http://${listen}` };
        },
      } : {}),
    });
    return {
      context: { system, stack, ...(client ? { toxiproxy: { client, proxy: 'erp' } } : {}), log },
      stop: async () => {
        try {
          await system.stop();
        } finally {
          await stack.stop();
        }
      },
    };
  } catch (error) {
    await stack.stop();
    throw error;
  }
}
