/**
 * A relay in a process of its own, for the crash test: `kill -9` it mid-stream and start
 * another on the same database. Run with `node --import tsx tests/kit/relay-child.ts`.
 *
 * Environment: OUTBOX_DB_PATH (a service database), OUTBOX_TOPIC_PREFIX, OUTBOX_REGISTRY_URL,
 * OUTBOX_BATCH_SIZE, plus the usual KAFKA_* variables. Prints `relay started` once running.
 */
import Database from 'better-sqlite3';
import { loadBusConfig } from '../../hub/bus/index.js';
import { createLogger } from '../../hub/log/logger.js';
import { Outbox } from '../../hub/service/outbox.js';
import { startRelay } from './outbox-harness.js';

const env = process.env;
const logger = createLogger('relay-child', { defaultLevel: 'warn' });
const db = new Database(env.OUTBOX_DB_PATH ?? '');
db.pragma('busy_timeout = 5000');
const running = startRelay(new Outbox(db), loadBusConfig(), env.OUTBOX_REGISTRY_URL ?? '', env.OUTBOX_TOPIC_PREFIX ?? '', logger, {
  batchSize: Number(env.OUTBOX_BATCH_SIZE ?? 500),
});
process.stdout.write('relay started\n');
process.once('SIGTERM', () => {
  void running.close().then(() => {
    db.close();
    process.exit(0);
  });
});
