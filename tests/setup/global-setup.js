// Jest global setup of the integration project: the tests need a real Kafka and Redis.
// When either does not answer, start it with `switchboard stack up` and remember what was
// started, so the teardown leaves the machine as it found it.
import { runStack } from './stack-cli.js';

/** Key under which the teardown finds the parts this run started (jest shares globalThis between the two). */
export const STARTED_KEY = '__switchboardStackStartedByJest';

export default async function globalSetup() {
  /** @type {{ ready: boolean, kafka: { brokers: string[] }, redis: { url: string } }} */
  let status = JSON.parse(runStack(['status', '--json']));
  /** @type {string[]} */
  const started = [];
  if (!status.ready) {
    process.stderr.write('\nThe local stack is not running; starting it for the integration tests (switchboard stack up) ...\n');
    /** @type {{ kafka: { action: string }, redis: { action: string } }} */
    const up = JSON.parse(runStack(['up', '--json']));
    if (up.kafka.action === 'started') started.push('kafka');
    if (up.redis.action === 'started') started.push('redis');
    status = JSON.parse(runStack(['status', '--json']));
    if (!status.ready) throw new Error('switchboard stack up returned, yet Kafka or Redis still does not answer');
  }
  globalThis[STARTED_KEY] = started;
  // Point the tests at the stack just checked, also when it runs on non-default ports
  // (SWITCHBOARD_KAFKA_PORT / SWITCHBOARD_REDIS_PORT). Jest workers inherit this environment.
  process.env.KAFKA_BROKERS ??= status.kafka.brokers.join(',');
  process.env.REDIS_URL ??= status.redis.url;
}
