import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { openDatabase } from '../service/database.js';
import type { OutcomeFact } from './connector-outcomes.js';
import { DashboardQuery, nearestRank } from './dashboard-query.js';
import { eventFacts } from './event-facts.js';
import { LiveRates } from './live-rates.js';
import { nextCheckDelay } from './delivery-settler.js';
import { GroupCommit } from './group-commit.js';
import { TrackQuery } from './track-query.js';
import { TRACKING_MIGRATIONS } from './tracking-schema.js';
import { TrackingStore, type TrackedEvent } from './tracking-store.js';

const MIN = 60_000;

function event(ceId: string, fullName: keyof typeof EXAMPLE_EVENTS, value: object, at: number, connectors: string[] = []): TrackedEvent {
  const facts = eventFacts(fullName, { ...EXAMPLE_EVENTS[fullName], ...value } as never, at);
  return { ceId, at, system: fullName.split('.')[1], eventType: fullName, topic: 't', partition: 0, offset: '0', correlationId: null, causationId: null, traceId: null, facts, connectors };
}
const outcome = (kind: OutcomeFact['kind'], ceId: string, connector: string, at: number, extra: Partial<OutcomeFact> = {}): OutcomeFact =>
  ({ id: `${kind}:${connector}:${ceId}:${at}`, ceId, connector, kind, at, code: null, message: null, deadLetterId: null, round: null, ...extra });

describe('the tracking store and its queries', () => {
  let store: TrackingStore;
  beforeEach(() => { store = TrackingStore.open(':memory:'); });
  afterEach(() => store.close());

  it('writes an event once however often it is delivered, and finds its flow by any system\'s id', () => {
    const placed = event('e1', 'switchboard.crm.OrderPlaced', { orderId: 'O-1' }, 1_000, ['crm-order-to-erp']);
    store.transaction(() => { store.addEvent(placed); store.addEvent(placed); });
    store.addEvent(event('e2', 'switchboard.erp.SalesOrderConfirmed', { crmOrderId: 'O-1', salesOrderNumber: 'SO-1' }, 3_000));
    const track = new TrackQuery(store.db, new Map([['crm-order-to-erp', 'erp']]));
    const answer = track.find('SO-1', undefined, 4_000);
    expect(answer.subject).toEqual({ kind: 'order', id: 'O-1' });
    expect(answer.ids[0]).toEqual({ id: 'O-1', label: 'CRM order' });
    expect(answer.steps.map((s) => [s.kind === 'event' ? s.eventType : s.outcome, s.sincePreviousMs])).toEqual([['switchboard.crm.OrderPlaced', null], ['switchboard.erp.SalesOrderConfirmed', 2_000]]);
    expect(answer.waiting).toEqual([expect.objectContaining({ connector: 'crm-order-to-erp', state: 'pending', waitingMs: 3_000, target: 'erp' })]);
    expect(answer.order).toMatchObject({ stage: 'CONFIRMED' });
    expect(store.eventCount()).toBe(2);
  });

  it('keeps the newest state of a delivery whatever order the outcomes arrive in, and applied closes it', () => {
    store.addOutcome(outcome('dead-lettered', 'e1', 'c', 5_000, { deadLetterId: '0:4', code: 'SWB_X' }));
    store.addOutcome(outcome('parked', 'e1', 'c', 2_000, { round: 1 })); // read late: older than the dead letter
    store.addEvent(event('e1', 'switchboard.crm.OrderPlaced', { orderId: 'O-2' }, 1_000, ['c']));
    const track = new TrackQuery(store.db, new Map([['c', 'erp']]));
    expect(track.find('O-2', undefined, 6_000).waiting).toEqual([expect.objectContaining({ state: 'dead-lettered', deadLetterId: '0:4', code: 'SWB_X' })]);
    expect(store.dueDeliveries(10_000, 10)).toEqual([]);
    store.addOutcome(outcome('replayed', 'e1', 'c', 7_000, { deadLetterId: '0:4' }), 7_000);
    expect(store.dueDeliveries(10_000, 10)).toEqual([{ ceId: 'e1', connector: 'c', since: 1_000 }]);
    store.addOutcome(outcome('applied', 'e1', 'c', 8_000));
    store.addOutcome(outcome('parked', 'e1', 'c', 9_000, { round: 2 }));
    expect(track.find('O-2', undefined, 10_000).waiting).toEqual([]);
  });

  it('writes a delivery already applied when the event is read as applied at once: the timeline shows it and nothing is left to settle', () => {
    store.addEvent({ ...event('e1', 'switchboard.erp.SalesOrderConfirmed', { crmOrderId: 'O-4', salesOrderNumber: 'SO-4' }, 1_000, ['to-scm', 'to-crm']), appliedAt: [1_400, null] }, 1_000);
    expect(store.dueDeliveries(10_000, 10)).toEqual([{ ceId: 'e1', connector: 'to-crm', since: 1_000 }]);
    const answer = new TrackQuery(store.db, new Map([['to-scm', 'scm'], ['to-crm', 'crm']])).find('SO-4', undefined, 2_000);
    expect(answer.steps.filter((s) => s.kind === 'outcome')).toEqual([expect.objectContaining({ outcome: 'applied', connector: 'to-scm', at: new Date(1_400).toISOString(), sincePreviousMs: 400 })]);
    expect(answer.waiting.map((w) => w.connector)).toEqual(['to-crm']);
  });

  it('lets a late applied read close a delivery a retry topic opened first', () => {
    store.addOutcome(outcome('parked', 'e1', 'c', 2_000, { round: 1 }), 2_000);
    store.addEvent({ ...event('e1', 'switchboard.crm.OrderPlaced', { orderId: 'O-5' }, 1_000, ['c']), appliedAt: [3_000] });
    expect(store.dueDeliveries(10_000, 10)).toEqual([]);
    expect(new TrackQuery(store.db, new Map()).find('O-5', undefined, 4_000).waiting).toEqual([]);
  });

  it('closes a dead letter\'s delivery when the audit trail says it was discarded, whichever is read first', () => {
    store.addOperatorAction({ connector: 'c', deadLetterId: '0:1', action: 'discard', actor: 'ann', reason: 'cancelled by phone', at: 9_000 });
    store.addEvent(event('e1', 'switchboard.crm.OrderPlaced', { orderId: 'O-3' }, 1_000, ['c']));
    store.addOutcome(outcome('dead-lettered', 'e1', 'c', 2_000, { deadLetterId: '0:1' }));
    expect(new TrackQuery(store.db, new Map()).find('O-3', undefined, 10_000).waiting).toEqual([]);
  });

  it('computes the cycle time, the stages, the per-day figures and the stuck orders of the dashboard', () => {
    const day = Date.parse('2026-03-02T10:00:00Z');
    for (const [i, cycle] of [10, 20, 30, 40].entries()) {
      const id = `O-${i}`;
      store.addEvent(event(`p${i}`, 'switchboard.crm.OrderPlaced', { orderId: id }, day));
      store.addEvent(event(`c${i}`, 'switchboard.erp.SalesOrderConfirmed', { crmOrderId: id, total: { amount: '10.00', currency: 'EUR' } }, day + MIN));
      store.addEvent(event(`r${i}`, 'switchboard.erp.PaymentReceived', { crmOrderId: id, invoiceSettled: true }, day + cycle * MIN));
    }
    store.addEvent(event('stuck', 'switchboard.crm.OrderPlaced', { orderId: 'O-STUCK' }, day, ['crm-order-to-erp']));
    const dashboard = new DashboardQuery(store.db).compute({ days: 7, stuckAfterMs: 15 * MIN }, day + 60 * MIN);
    expect(dashboard.cycleTime).toEqual({ count: 4, p50Ms: 20 * MIN, p90Ms: 40 * MIN });
    expect(dashboard.stages[0]).toMatchObject({ stage: 'credit check', count: 4, p50Ms: MIN });
    expect(dashboard.perDay).toEqual([{ day: '2026-03-02', placed: 5, confirmed: 4, rejected: 0, revenue: { EUR: 4_000 }, invoiced: {} }]);
    expect(dashboard.stuck).toMatchObject({ count: 1, orders: [expect.objectContaining({ orderId: 'O-STUCK', connector: 'crm-order-to-erp', state: 'pending' })] });
  });

  it('finds items at or below their reorder point from the newest stock movement', () => {
    store.addEvent(event('rp', 'switchboard.scm.ReorderPointReached', { sku: 'S1', warehouseId: 'W1', reorderPoint: 10, reorderQuantity: 50 }, 1_000));
    store.addEvent(event('m2', 'switchboard.scm.StockMoved', { sku: 'S1', warehouseId: 'W1', onHand: 30, reserved: 2 }, 3_000));
    store.addEvent(event('m1', 'switchboard.scm.StockMoved', { sku: 'S1', warehouseId: 'W1', onHand: 8, reserved: 0 }, 2_000)); // older, read late
    expect(new DashboardQuery(store.db).compute({ days: 7, stuckAfterMs: MIN }, 4_000).belowReorderPoint).toEqual([]);
    store.addEvent(event('m3', 'switchboard.scm.StockMoved', { sku: 'S1', warehouseId: 'W1', onHand: 12, reserved: 3 }, 4_000));
    expect(new DashboardQuery(store.db).compute({ days: 7, stuckAfterMs: MIN }, 5_000).belowReorderPoint).toEqual([{ sku: 'S1', warehouse: 'W1', available: 9, reorderPoint: 10, reorderQuantity: 50 }]);
  });
});

describe('helpers of the projection', () => {
  it('takes nearest-rank percentiles', () => {
    expect([nearestRank([], 0.5), nearestRank([7], 0.9), nearestRank([1, 2, 3, 4], 0.5), nearestRank([1, 2, 3, 4], 0.9)]).toEqual([null, 7, 2, 4]);
  });

  it('counts live rates by the time things happened, not when they were read', () => {
    const rates = new LiveRates(10);
    const now = 100_000;
    for (let i = 0; i < 10; i++) rates.add('t', now - 500, now);
    rates.add('t', now - 60_000, now); // a catch-up of old records does not count
    expect(rates.perSecond('t', 5, now)).toBe(2);
    expect(rates.perSecond('t', 5, now + 10_000)).toBe(0);
  });

  it('looks for completed keys soon while a delivery is young, then less often', () => {
    expect([nextCheckDelay(100), nextCheckDelay(30_000), nextCheckDelay(5 * MIN), nextCheckDelay(30 * MIN), nextCheckDelay(5 * 60 * MIN)]).toEqual([250, 1_000, 5_000, 30_000, 120_000]);
  });

  it('writes a turn\'s works in one transaction, and a failing one fails alone', async () => {
    const transactions: number[] = [];
    const commits = new GroupCommit((work) => { const before = transactions.length; transactions.push(0); work(); transactions[before] = 1; });
    const done: string[] = [];
    await Promise.all([commits.run(() => done.push('a')), commits.run(() => done.push('b'))]);
    expect(transactions).toEqual([1]);
    const results = await Promise.allSettled([commits.run(() => done.push('c')), commits.run(() => { throw new Error('bad row'); })]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    expect(done).toEqual(['a', 'b', 'c', 'c']);
  });

  it('keeps the mentions of a database written before they were keyed by time, and still writes each once', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'swb-tracking-'));
    try {
      const file = path.join(dir, 'tracking.db');
      const older = openDatabase(file, TRACKING_MIGRATIONS.slice(0, 1));
      older.prepare('INSERT INTO mentions (id, ce_id, at) VALUES (?, ?, ?)').run('SKU-1', 'e-old', 1000);
      older.close();
      const migrated = TrackingStore.open(file);
      try {
        migrated.transaction(() => migrated.addEvent(event('e-new', 'switchboard.scm.StockMoved', { sku: 'SKU-1' }, 2000)));
        migrated.transaction(() => migrated.addEvent(event('e-new', 'switchboard.scm.StockMoved', { sku: 'SKU-1' }, 2000)));
        expect(migrated.db.prepare("SELECT ce_id, at FROM mentions WHERE id = 'SKU-1' ORDER BY at").all()).toEqual([{ ce_id: 'e-old', at: 1000 }, { ce_id: 'e-new', at: 2000 }]);
        expect(migrated.db.prepare("SELECT name FROM pragma_index_list('mentions') WHERE origin = 'c'").pluck().all()).toEqual(['mentions_at']);
      } finally {
        migrated.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
