import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CDC_TABLES, cdcRecordFullName } from '../../../catalogue/index.js';
import { Supervisor } from '../../supervisor/supervisor.js';
import type { CdcChange } from '../../sdk/types.js';
import { createTestDatabase, eventually, startKitStack, type KitStack, type TestDatabase } from '../../../tests/kit/index.js';

const spec = CDC_TABLES[0];
const ENTRY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/switchboard.js');
const KEYS = ['SKU-1', 'SKU-2', 'SKU-3', 'SKU-4', 'SKU-5'];
const CHANGES = 2500;

// `switchboard cdc` as a real process, killed with SIGKILL while changes stream, then started again.
describe('switchboard cdc killed mid-stream', () => {
  let db: TestDatabase;
  let stack: KitStack;
  const lines: string[] = [];
  const supervisor = new Supervisor(ENTRY, (line) => lines.push(line), { stopAllOnExit: false });

  beforeAll(async () => {
    db = await createTestDatabase('crash');
    await db.query('CREATE TABLE stock_levels (sku text NOT NULL, warehouse_id text NOT NULL, on_hand integer NOT NULL, PRIMARY KEY (sku, warehouse_id))');
    for (const sku of KEYS) await db.query("INSERT INTO stock_levels VALUES ($1, 'WH-1', 0)", [sku]);
    stack = await startKitStack({ label: 'cdccrash' });
  });

  afterAll(async () => {
    await supervisor.stop();
    await stack?.close();
    await db?.drop();
  });

  it('loses no change and duplicates only with the same event id; each key stays in commit order', async () => {
    const slot = `swb_crash_${process.pid}`;
    const env = {
      ...process.env,
      SCHEMA_REGISTRY_URL: stack.registryUrl,
      SWITCHBOARD_TOPIC_PREFIX: stack.prefix,
      CDC_DATABASE_URL: db.url,
      CDC_SLOT: slot,
      CDC_PUBLICATION: slot,
      CDC_BATCH_SIZE: '50',
      LOG_LEVEL: 'warn',
    };
    const collector = await stack.collect(cdcRecordFullName(spec));
    const streamed = () => collector.events.filter((event) => (event.value as CdcChange).op === 'update');
    const start = () => supervisor.start({ name: 'cdc', args: ['cdc'], env, readyLine: /^cdc streaming/ }, 90_000);

    let first = await start();
    // One writer, one transaction per change, the keys in turn: the n-th change sets on_hand = n.
    const writing = (async () => {
      for (let n = 1; n <= CHANGES; n++) await db.query('UPDATE stock_levels SET on_hand = $1 WHERE sku = $2', [n, KEYS[n % KEYS.length]]);
    })();
    // Killed twice while the writer goes on.
    for (const threshold of [400, 1200]) {
      await eventually(() => (streamed().length >= threshold ? true : undefined), 60_000, `${threshold} changes streamed`);
      await supervisor.stopOne(first, 'SIGKILL');
      expect(new Set(streamed().map((event) => event.metadata.id)).size).toBeLessThan(CHANGES);
      first = await start();
    }
    await writing;

    const all = await eventually(() => {
      const events = streamed();
      return new Set(events.map((event) => event.metadata.id)).size >= CHANGES ? events : undefined;
    }, 120_000, `all ${CHANGES} changes after the restart (${lines.slice(-5).join(' | ')})`);

    // Nothing lost: every change is there, under one id each.
    const byId = new Map<string, CdcChange>();
    for (const event of all) {
      const value = event.value as CdcChange;
      const earlier = byId.get(event.metadata.id);
      // A duplicate is the same event: same id, same change.
      if (earlier) expect(value).toEqual(earlier);
      byId.set(event.metadata.id, value);
    }
    expect(byId.size).toBe(CHANGES);
    expect([...byId.values()].map((change) => change.after?.on_hand).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: CHANGES }, (_, i) => i + 1));
    // Commit order per key, duplicates aside.
    for (const sku of KEYS) {
      const firstSeen = [...new Set(all.filter((event) => event.key === JSON.stringify([sku, 'WH-1'])).map((event) => event.metadata.id))].map((id) => byId.get(id)?.after?.on_hand);
      expect(firstSeen).toHaveLength(CHANGES / KEYS.length);
      expect(firstSeen).toEqual([...firstSeen].sort((a, b) => Number(a) - Number(b)));
    }
    // The restart did not take a new snapshot.
    expect(collector.events.filter((event) => (event.value as CdcChange).op === 'snapshot')).toHaveLength(KEYS.length);
  }, 300_000);
});
