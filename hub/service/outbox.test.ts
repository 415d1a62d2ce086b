import { openDatabase } from './database.js';
import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { Outbox } from './outbox.js';
import { PLUMBING_MIGRATIONS } from './plumbing-migrations.js';

const NOTES = { version: 100, name: 'notes', sql: 'CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)' };

function setup() {
  const db = openDatabase(':memory:', [...PLUMBING_MIGRATIONS, NOTES]);
  const outbox = new Outbox(db, 'crm');
  const created = (customerId: string) => ({ ...EXAMPLE_EVENTS['switchboard.crm.CustomerCreated'], customerId });
  const event = (key: string) => outbox.publish('switchboard.crm.CustomerCreated', created(key));
  const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { db, outbox, event, created, count };
}

describe('Outbox', () => {
  it('writes the state change and its event in one transaction and tells listeners after commit', () => {
    const { db, outbox, event, created } = setup();
    const seen: number[] = [];
    outbox.onCommitted(({ count }) => seen.push(count));
    outbox.transaction(() => {
      db.prepare("INSERT INTO notes (text) VALUES ('a')").run();
      event('C-1');
      outbox.publish('switchboard.crm.CustomerUpdated', { ...EXAMPLE_EVENTS['switchboard.crm.CustomerUpdated'], customerId: 'C-1' }, {
        causationId: 'evt-0', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      });
      // Nothing is announced before the commit.
      expect(seen).toEqual([]);
    });
    expect(seen).toEqual([2]);
    const rows = outbox.readUnsent(10);
    expect(rows.map((r) => [r.seq, r.eventType, r.key])).toEqual([[1, 'CustomerCreated', 'C-1'], [2, 'CustomerUpdated', 'C-1']]);
    expect(rows[0]?.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(rows[1]).toMatchObject({ system: 'crm', aggregate: 'customer', causationId: 'evt-0', correlationId: 'C-1', sentAt: null });
    expect(JSON.parse(rows[0]!.payload)).toEqual(created('C-1'));
  });

  it('writes neither the state change nor the event when the command fails', () => {
    const { db, outbox, event, count } = setup();
    const seen: number[] = [];
    outbox.onCommitted(({ count: n }) => seen.push(n));
    expect(() => outbox.transaction(() => {
      db.prepare("INSERT INTO notes (text) VALUES ('a')").run();
      event('C-1');
      throw new Error('business rule failed after the event was added');
    })).toThrow('business rule failed');
    expect(count('notes')).toBe(0);
    expect(count('outbox')).toBe(0);
    expect(seen).toEqual([]);
    // The next successful commit announces only its own rows.
    outbox.transaction(() => event('C-2'));
    expect(seen).toEqual([1]);
  });

  it('takes topic and key from the catalogue, and refuses events outside a transaction, unknown types and other systems\' events', () => {
    const { outbox, event } = setup();
    expect(() => event('C-1')).toThrow(/inside the transaction/);
    const unknown = 'switchboard.crm.Nope' as 'switchboard.crm.CustomerCreated';
    expect(() => outbox.transaction(() => outbox.publish(unknown, EXAMPLE_EVENTS['switchboard.crm.CustomerCreated']))).toThrow(/not an event type of the catalogue/);
    expect(() => outbox.transaction(() => outbox.publish('switchboard.erp.PriceChanged', EXAMPLE_EVENTS['switchboard.erp.PriceChanged']))).toThrow(/crm outbox cannot publish switchboard.erp.PriceChanged/);
    outbox.transaction(() => outbox.publish('switchboard.crm.OrderPlaced', { ...EXAMPLE_EVENTS['switchboard.crm.OrderPlaced'], orderId: 'O-9' }));
    expect(outbox.readUnsent(1)[0]).toMatchObject({ system: 'crm', aggregate: 'order', eventType: 'OrderPlaced', key: 'O-9', correlationId: 'O-9' });
  });

  it('reads unsent rows in order, marks them sent and prunes old sent rows', () => {
    const { outbox, event, count } = setup();
    outbox.transaction(() => { for (let i = 1; i <= 5; i += 1) event(`C-${i}`); });
    const firstBatch = outbox.readUnsent(3);
    expect(firstBatch.map((r) => r.seq)).toEqual([1, 2, 3]);
    outbox.markSent(firstBatch.map((r) => r.seq), 1_000);
    expect(outbox.readUnsent(10).map((r) => r.seq)).toEqual([4, 5]);
    expect(outbox.backlog()).toBe(2);
    outbox.markSent([4], 5_000);
    expect(outbox.pruneSent(2_000, 6_000)).toBe(3);
    expect(count('outbox')).toBe(2);
  });
});
