/**
 * The relay's loop against a real SQLite outbox and a real codec (in-memory schema lookup);
 * only the publisher is a recorder, so each failure mode of Kafka can be played exactly.
 * The same paths run against the real broker in tests/integration/outbox*.int.test.ts.
 */
import type { Database } from 'better-sqlite3';
import { PublishError, HEADER, type OutgoingRecord } from '../bus/index.js';
import { createLogger } from '../log/logger.js';
import { InMemorySchemaLookup } from '../schema/client/memory-schema-lookup.js';
import { AvroCodec } from '../schema/codec/avro-codec.js';
import { openDatabase } from '../service/database.js';
import { Outbox, type EventOrigin } from '../service/outbox.js';
import { PLUMBING_MIGRATIONS } from '../service/plumbing-migrations.js';
import type { CustomerUpdated } from '../../catalogue/index.js';
import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { OutboxRelay, type OutboxRelayOptions } from './outbox-relay.js';

const logger = createLogger('relay-test', { level: 'silent' });

/** Records each sendAll; `behave` may fail or delay one. */
class RecordingPublisher {
  readonly calls: OutgoingRecord[][] = [];
  behave: (call: number) => Promise<void> = async () => undefined;
  async sendAll(records: readonly OutgoingRecord[]): Promise<void> {
    const call = this.calls.length;
    this.calls.push([...records]);
    await this.behave(call);
  }
  get published(): OutgoingRecord[] {
    return this.calls.flat();
  }
}

/** Publishes a CustomerUpdated of customer `id` named `name <n>` (inside the caller's transaction). */
function publishCustomer(outbox: Outbox, id: string, n: number, origin: EventOrigin = {}): { seq: number; eventId: string } {
  return outbox.publish('switchboard.crm.CustomerUpdated', { ...EXAMPLE_EVENTS['switchboard.crm.CustomerUpdated'], customerId: id, name: `name ${n}` }, origin);
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('OutboxRelay', () => {
  let db: Database;
  let outbox: Outbox;
  let publisher: RecordingPublisher;
  let relay: OutboxRelay | undefined;

  const makeRelay = (options: Partial<OutboxRelayOptions> = {}): OutboxRelay => {
    relay = new OutboxRelay({
      outbox, producer: publisher, codec: new AvroCodec({ registry: new InMemorySchemaLookup() }), logger,
      backoff: { initialMs: 5, maxMs: 20 }, ...options,
    });
    return relay;
  };

  beforeEach(() => {
    db = openDatabase(':memory:', PLUMBING_MIGRATIONS);
    outbox = new Outbox(db);
    publisher = new RecordingPublisher();
  });
  afterEach(async () => {
    await relay?.stop();
    relay = undefined;
    db.close();
  });

  it('wakes on commit, publishes rows in seq order with their headers, and marks them sent', async () => {
    const relay = makeRelay({ fallbackIntervalMs: 60_000, topicPrefix: 'x.' });
    relay.start();
    const ids = outbox.transaction(() => [publishCustomer(outbox, 'C-1', 1), publishCustomer(outbox, 'C-2', 2, { causationId: 'cause-9' })]);
    // The fallback timer is a minute away: only the commit can have woken the relay.
    await until(() => relay.status().backlog === 0);
    expect(publisher.calls).toHaveLength(1);
    expect(publisher.published.map((r) => [r.topic, r.key, r.headers?.[HEADER.id]])).toEqual([
      ['x.crm.customer.v1', 'C-1', ids[0].eventId],
      ['x.crm.customer.v1', 'C-2', ids[1].eventId],
    ]);
    expect(publisher.published[1].headers).toMatchObject({ [HEADER.type]: 'crm.customer.CustomerUpdated', [HEADER.causationId]: 'cause-9', [HEADER.correlationId]: 'C-2' });
    expect(publisher.published[0].value?.[0]).toBe(0); // Confluent magic byte
    expect(relay.status()).toMatchObject({ state: 'idle', sent: 2, lastError: null });
    expect(relay.status().lastSentAt).not.toBeNull();
  });

  it('sends at most batchSize rows per request, one request at a time, keeping order', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    publisher.behave = async () => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      inFlight -= 1;
    };
    outbox.transaction(() => {
      for (let i = 0; i < 10; i += 1) publishCustomer(outbox, `C-${i % 2}`, i);
    });
    const relay = makeRelay({ batchSize: 3 });
    relay.start(); // rows written before start are found at once
    await until(() => relay.status().backlog === 0);
    expect(publisher.calls.map((call) => call.length)).toEqual([3, 3, 3, 1]);
    expect(maxInFlight).toBe(1);
    const names = publisher.published.map((r) => String(r.headers?.[HEADER.id]));
    const seqOrder = (db.prepare('SELECT event_id FROM outbox ORDER BY seq').all() as { event_id: string }[]).map((r) => r.event_id);
    expect(names).toEqual(seqOrder);
  });

  it('retries the same rows with backoff while the bus fails, then publishes them', async () => {
    publisher.behave = async (call) => {
      if (call < 3) throw new PublishError('broker down', new Error('ECONNREFUSED'));
    };
    const relay = makeRelay();
    relay.start();
    outbox.transaction(() => publishCustomer(outbox, 'C-1', 1));
    await until(() => publisher.calls.length >= 2);
    expect(relay.status()).toMatchObject({ backlog: 1, lastError: { code: 'SWB_ERR_BUS_PUBLISH' } });
    // Writes keep committing during the outage.
    outbox.transaction(() => publishCustomer(outbox, 'C-1', 2));
    await until(() => relay.status().backlog === 0);
    const first = publisher.calls[0][0].headers?.[HEADER.id];
    expect(publisher.calls.slice(0, 3).every((call) => call[0].headers?.[HEADER.id] === first)).toBe(true);
    expect(relay.status()).toMatchObject({ state: 'idle', sent: 2, lastError: null });
  });

  it('halts before a row it cannot encode, reports it, and keeps the rows after it', async () => {
    const relay = makeRelay();
    const [good, bad, after] = outbox.transaction(() => [
      publishCustomer(outbox, 'C-1', 1),
      // A row the codec refuses (required fields missing), as an older release might have written it.
      outbox.publish('switchboard.crm.CustomerUpdated', { customerId: 'C-2' } as CustomerUpdated),
      publishCustomer(outbox, 'C-3', 3),
    ]);
    relay.start();
    await until(() => relay.status().state === 'halted');
    expect(publisher.published.map((r) => r.headers?.[HEADER.id])).toEqual([good.eventId]);
    const status = relay.status();
    expect(status).toMatchObject({ backlog: 2, sent: 1, lastError: { code: 'SWB_ERR_OUTBOX_ROW_UNPUBLISHABLE', eventId: bad.eventId } });
    expect(status.lastError?.message).toMatch(/SWB_ERR_CODEC_INVALID_VALUE/);
    // New commits do not push past the broken row (its key's order would break).
    outbox.transaction(() => publishCustomer(outbox, 'C-4', 4));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(publisher.published.map((r) => r.headers?.[HEADER.id])).not.toContain(after.eventId);
  });

  it('stop() lets the batch in flight finish and be marked sent', async () => {
    let release: () => void = () => undefined;
    publisher.behave = () => new Promise<void>((resolve) => (release = resolve));
    const relay = makeRelay();
    relay.start();
    outbox.transaction(() => publishCustomer(outbox, 'C-1', 1));
    await until(() => publisher.calls.length === 1);
    let stopped = false;
    const stopping = relay.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(relay.status()).toMatchObject({ state: 'stopped', backlog: 0, sent: 1 });
    // Stopped: commits no longer publish.
    outbox.transaction(() => publishCustomer(outbox, 'C-1', 2));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(publisher.calls).toHaveLength(1);
  });

  it('finds rows no commit announced (another writer) on its fallback timer, and prunes sent rows', async () => {
    const relay = makeRelay({ fallbackIntervalMs: 30, pruneIntervalMs: 30, pruneAgeMs: 0 });
    relay.start();
    const otherWriter = new Outbox(db); // its commits notify only its own listeners
    otherWriter.transaction(() => publishCustomer(otherWriter, 'C-9', 1));
    await until(() => publisher.published.length === 1);
    await until(() => (db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n === 0);
  });
});
