import { cdcRecordFullName, CDC_TABLES } from '../../../catalogue/index.js';
import type { CdcChange } from '../../sdk/types.js';
import { SchemaRegistryClient } from '../../schema/client/index.js';
import { AvroCodec } from '../../schema/codec/avro-codec.js';
import { createTestDatabase, eventually, startKitStack, type CollectedEvent, type KitStack, type TestDatabase } from '../../../tests/kit/index.js';
import { CdcSource } from './cdc-source.js';
import { createSlotWithSnapshot } from './snapshot.js';
import { parseLsn } from './lsn.js';

const spec = CDC_TABLES[0];
const eventType = cdcRecordFullName(spec);

describe('change-data capture of a PostgreSQL table', () => {
  let db: TestDatabase;
  let stack: KitStack;
  const sources: CdcSource[] = [];
  const slot = `swb_cdc_${process.pid}_${Date.now() % 100000}`;

  beforeAll(async () => {
    db = await createTestDatabase('cdc');
    await db.query(`CREATE TABLE stock_levels (
      sku text NOT NULL, warehouse_id text NOT NULL, on_hand integer NOT NULL, reserved integer NOT NULL DEFAULT 0,
      price numeric(12,2), updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (sku, warehouse_id))`);
    await db.query('ALTER TABLE stock_levels REPLICA IDENTITY FULL');
    await db.query(`INSERT INTO stock_levels (sku, warehouse_id, on_hand, price) VALUES ('SKU-A', 'WH-1', 10, 12.50), ('SKU-B', 'WH-1', 5, 99.99), ('SKU-C', 'WH-2', 0, NULL)`);
    stack = await startKitStack({ label: 'cdc' });
  });

  afterAll(async () => {
    for (const source of sources) await source.stop();
    await stack?.close();
    await db?.drop();
  });

  const startSource = async (slotName = slot) => {
    const source = new CdcSource({
      databaseUrl: db.url, source: spec.source, slot: slotName, publication: slotName, bus: stack.bus, producer: stack.services.producer, prefix: stack.prefix, logger: stack.logger, heartbeatMs: 500,
      // A codec of its own, as the CDC process has: the kit's would read every version with the first schema it defined.
      codec: new AvroCodec({ registry: new SchemaRegistryClient({ url: stack.registryUrl }) }),
    });
    sources.push(source);
    await source.start();
    return source;
  };
  const changes = (events: readonly CollectedEvent[]) => events.map((event) => ({ key: event.key, ...(event.value as CdcChange) }));
  const confirmedLsn = async () => (await db.query<{ lsn: string }>('SELECT confirmed_flush_lsn AS lsn FROM pg_replication_slots WHERE slot_name = $1', [slot]))[0]?.lsn;

  it('publishes a snapshot, then every committed change in commit order per key, with the LSN confirmed once Kafka has it', async () => {
    const collector = await stack.collect(eventType);
    const source = await startSource();
    const snapshot = await eventually(() => (collector.events.length >= 3 ? changes(collector.events) : undefined), 30_000, 'the snapshot');
    expect(snapshot.map((c) => [c.op, c.key, c.after?.on_hand, c.after?.price]).sort()).toEqual([
      ['snapshot', '["SKU-A","WH-1"]', 10, '12.50'],
      ['snapshot', '["SKU-B","WH-1"]', 5, '99.99'],
      ['snapshot', '["SKU-C","WH-2"]', 0, null],
    ]);
    expect(collector.events[0].metadata).toMatchObject({ source: 'legacy-warehouse', type: 'cdc.legacy-warehouse.public.stock_levels.snapshot' });

    await db.query("UPDATE stock_levels SET on_hand = 11 WHERE sku = 'SKU-A'");
    await db.query("UPDATE stock_levels SET on_hand = 12 WHERE sku = 'SKU-A'");
    await db.query("BEGIN; INSERT INTO stock_levels (sku, warehouse_id, on_hand) VALUES ('SKU-D', 'WH-2', 3); DELETE FROM stock_levels WHERE sku = 'SKU-B'; COMMIT");
    const streamed = await eventually(() => (collector.events.length >= 7 ? changes(collector.events.slice(3)) : undefined), 30_000, 'the streamed changes');
    const ofA = streamed.filter((c) => c.key === '["SKU-A","WH-1"]');
    expect(ofA.map((c) => [c.op, c.before?.on_hand, c.after?.on_hand])).toEqual([['update', 10, 11], ['update', 11, 12]]);
    expect(streamed.find((c) => c.op === 'insert')).toMatchObject({ key: '["SKU-D","WH-2"]', before: null, after: { sku: 'SKU-D', on_hand: 3, reserved: 0 } });
    expect(streamed.find((c) => c.op === 'delete')).toMatchObject({ key: '["SKU-B","WH-1"]', after: null, before: { sku: 'SKU-B', on_hand: 5 } });
    const deleteAndInsert = streamed.filter((c) => c.op !== 'update');
    expect(deleteAndInsert[0].txId).toBe(deleteAndInsert[1].txId);
    expect(new Set(collector.events.map((event) => event.metadata.id)).size).toBe(collector.events.length);

    // The slot moves past the last commit only now that Kafka has it.
    const last = streamed[streamed.length - 1].lsn;
    await eventually(async () => {
      const lsn = await confirmedLsn();
      return lsn && parseLsn(lsn) > parseLsn(last) ? lsn : undefined;
    }, 20_000, 'the confirmed LSN past the last change');
    expect(source.status()).toMatchObject({ state: 'streaming', queued: 0 });
  });

  it('gives the table\'s events a new compatible schema version when a column is added', async () => {
    const collector = await stack.collect(eventType);
    await eventually(() => (collector.events.length >= 7 ? true : undefined), 30_000, 'the events so far');
    await db.query('ALTER TABLE stock_levels ADD COLUMN bin text');
    await db.query("UPDATE stock_levels SET bin = 'A-01-3', on_hand = 13 WHERE sku = 'SKU-A'");
    const [added] = await eventually(() => {
      const found = changes(collector.events).filter((c) => c.after?.bin === 'A-01-3');
      return found.length > 0 ? found : undefined;
    }, 30_000, 'the change with the new column');
    expect(added).toMatchObject({ op: 'update', before: { on_hand: 12, bin: null }, after: { on_hand: 13, bin: 'A-01-3' } });
    const versions = await fetch(`${stack.registryUrl}/subjects/${encodeURIComponent(`${stack.prefix}cdc.legacy-warehouse.public.stock_levels-${eventType}`)}/versions`);
    expect(await versions.json()).toEqual([1, 2]);
  });

  it('resumes from the confirmed position after a stop: changes made meanwhile arrive, no new snapshot', async () => {
    const [running] = sources;
    await running.stop();
    sources.length = 0;
    await db.query("UPDATE stock_levels SET on_hand = 14 WHERE sku = 'SKU-A'");
    const collector = await stack.collect(eventType);
    await startSource();
    const fourteen = await eventually(() => {
      const found = changes(collector.events).filter((c) => c.after?.on_hand === 14);
      return found.length > 0 ? found : undefined;
    }, 30_000, 'the change made while stopped');
    expect(fourteen).toHaveLength(1);
    expect(changes(collector.events).filter((c) => c.op === 'snapshot')).toHaveLength(3);
  });

  it('takes the snapshot again when a slot\'s snapshot was never completed; rows that did not change keep their event ids', async () => {
    for (const source of sources) await source.stop();
    sources.length = 0;
    const collector = await stack.collect(eventType);
    // A process killed while publishing its snapshot leaves a slot that state does not record as complete.
    const interrupted = `${slot}_b`;
    await (await createSlotWithSnapshot(db.url, interrupted)).release();
    await startSource(interrupted);
    const snapshotOf = (count: number) => eventually(() => {
      const rows = collector.events.filter((event) => (event.value as CdcChange).op === 'snapshot').slice(-count);
      return rows.length === count ? rows : undefined;
    }, 30_000, `${count} snapshot rows`);
    const first = await snapshotOf(3);
    expect(first.map((event) => event.key).sort()).toEqual(['["SKU-A","WH-1"]', '["SKU-C","WH-2"]', '["SKU-D","WH-2"]']);
    for (const source of sources) await source.stop();
    sources.length = 0;
    // A second snapshot of the same rows (here on a slot of its own) gives the same ids.
    const snapshots = () => collector.events.filter((event) => (event.value as CdcChange).op === 'snapshot');
    const seen = snapshots().length;
    await startSource(`${slot}_c`);
    await eventually(() => (snapshots().length >= seen + 3 ? true : undefined), 30_000, 'the second snapshot');
    const second = snapshots().slice(seen);
    expect(second.map((event) => event.metadata.id).sort()).toEqual(first.map((event) => event.metadata.id).sort());
  });
});
