/**
 * The tracking projection on the real stack (Kafka, Redis, the kit's registry, a real worker):
 * events become timelines joined across the systems' ids, the worker's outcomes (applied,
 * dead-lettered, replayed) land on them, a restart resumes from the committed offsets without
 * losing or doubling a row, and a second instance in the group takes over from one that stops.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';
import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { eventually } from '../../tests/kit/isolation.js';
import { startKitStack, type KitStack } from '../../tests/kit/kit-stack.js';
import { RecordingTarget } from '../../tests/kit/recording-target.js';
import { httpTestConnector, orderPlaced } from '../../tests/kit/test-connectors.js';
import { committedToEnd } from '../../tests/kit/worker-state.js';
import { adminConnectorsOf } from '../admin/admin-connectors.js';
import { createLogger } from '../log/logger.js';
import type { ConnectorWorker } from '../runtime/connector-worker.js';
import { connectorTopics, ensureConnectorTopics } from '../runtime/connector-topics.js';
import { TrackQuery } from './track-query.js';
import { TrackingProjection } from './tracking-projection.js';
import { TrackingStore } from './tracking-store.js';

jest.setTimeout(180_000);

const CONNECTOR = 'trk-orders';
const connector = httpTestConnector(CONNECTOR, { maxAttempts: 1 });

describe('tracking projection on the real stack', () => {
  let stack: KitStack;
  let target: RecordingTarget;
  let dir: string;
  let worker: ConnectorWorker | undefined;
  const logger = createLogger('tracking-test', { level: 'warn' });
  const open: TrackingProjection[] = [];
  const stores: TrackingStore[] = [];

  beforeAll(async () => {
    target = await RecordingTarget.start();
    stack = await startKitStack({ label: 'trk', systemUrls: { erp: target.url } });
    await ensureConnectorTopics(stack.bus, connector, connectorTopics(connector, stack.prefix));
    const admin = stack.bus.admin();
    await admin.connect();
    await admin.createMissing([{ name: `${stack.prefix}switchboard.audit`, partitions: 1, replicationFactor: 1, configs: {} }, { name: `${stack.prefix}switchboard.xref`, partitions: 1, replicationFactor: 1, configs: { 'cleanup.policy': 'compact' } }]);
    await admin.close();
    dir = mkdtempSync(path.join(tmpdir(), 'switchboard-tracking-'));
  });
  afterAll(async () => {
    for (const projection of open) await projection.stop();
    for (const store of stores) store.close();
    await stack?.close();
    await target?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const start = async (file: string) => {
    const store = TrackingStore.open(path.join(dir, file));
    stores.push(store);
    const projection = new TrackingProjection({
      bus: stack.bus, redis: stack.redis, codec: stack.codec, store, prefix: stack.prefix, retentionMs: 7 * 86_400_000, logger,
      connectors: adminConnectorsOf([connector], stack.prefix),
    });
    open.push(projection);
    await projection.start();
    return { store, projection, track: new TrackQuery(store.db, new Map([[CONNECTOR, 'erp']])) };
  };
  const stop = async (projection: TrackingProjection) => {
    await projection.stop();
    open.splice(open.indexOf(projection), 1);
  };

  it('joins an order\'s events across the systems\' ids, with the connector\'s applied outcome and each step\'s latency', async () => {
    const { projection, track } = await start('joins.db');
    worker = await stack.startWorker(connector);
    const orderId = `O-TRK-${Date.now().toString(36)}`;
    const placed = await stack.publish('switchboard.crm.OrderPlaced', orderId, orderPlaced(orderId, 1));
    const confirmed = { ...EXAMPLE_EVENTS['switchboard.erp.SalesOrderConfirmed'], crmOrderId: orderId, salesOrderNumber: `SO-${orderId}` };
    await stack.publish('switchboard.erp.SalesOrderConfirmed', orderId, confirmed, { correlationId: orderId, causationId: placed.id });
    const shipment = { ...EXAMPLE_EVENTS['switchboard.scm.ShipmentCreated'], crmOrderId: orderId, salesOrderNumber: confirmed.salesOrderNumber, shipmentId: `SH-${orderId}` };
    await stack.publish('switchboard.scm.ShipmentCreated', orderId, shipment);

    // Found by the SCM's shipment id; the applied outcome comes from the worker's completed key.
    const answer = await eventually(() => {
      const found = track.find(shipment.shipmentId);
      return found.steps.some((step) => step.kind === 'outcome' && step.outcome === 'applied') && found.steps.filter((step) => step.kind === 'event').length === 3 ? found : undefined;
    }, 60_000, 'the order\'s three events and the applied outcome');
    expect(answer.subject).toEqual({ kind: 'order', id: orderId });
    expect(answer.ids.map((entry) => entry.id)).toEqual(expect.arrayContaining([orderId, confirmed.salesOrderNumber, shipment.shipmentId]));
    expect(answer.steps.map((step) => (step.kind === 'event' ? step.eventType : `${step.outcome} by ${step.connector}`))).toEqual(expect.arrayContaining([
      'switchboard.crm.OrderPlaced', 'switchboard.erp.SalesOrderConfirmed', 'switchboard.scm.ShipmentCreated', `applied by ${CONNECTOR}`,
    ]));
    const applied = answer.steps.find((step) => step.kind === 'outcome');
    expect(applied).toMatchObject({ ceId: placed.id, target: 'erp' });
    expect(answer.steps[0].sincePreviousMs).toBeNull();
    expect(answer.steps.slice(1).every((step) => typeof step.sincePreviousMs === 'number' && step.sincePreviousMs >= 0)).toBe(true);
    expect(answer.waiting).toEqual([]);
    expect(answer.order).toMatchObject({ orderId, stage: 'SHIPMENT_CREATED' });
    // The ERP's number finds the same flow.
    expect(track.find(confirmed.salesOrderNumber).subject).toEqual({ kind: 'order', id: orderId });
    expect(projection.rates.count('topic:crm.order.v1', 10)).toBeGreaterThanOrEqual(1);
    await stop(projection);
  });

  it('shows a dead-lettered event as stuck with its reason, then its replay and the applied outcome', async () => {
    const { projection, track } = await start('dead-letter.db');
    const orderId = `O-TRK-DLQ-${Date.now().toString(36)}`;
    target.failNext(1, 422, `/orders/${orderId}`);
    const placed = await stack.publish('switchboard.crm.OrderPlaced', orderId, orderPlaced(orderId, 2));
    const stuck = await eventually(() => {
      const found = track.find(orderId);
      return found.waiting.some((w) => w.state === 'dead-lettered') ? found : undefined;
    }, 60_000, 'the dead letter on the timeline');
    expect(stuck.status).toBe('stuck');
    const [waiting] = stuck.waiting;
    expect(waiting).toMatchObject({ ceId: placed.id, connector: CONNECTOR, code: 'SWB_ERR_RUNTIME_TARGET_REJECTED', deadLetterId: expect.stringMatching(/^0:\d+$/) });
    expect(waiting.reason).toContain('dead-lettered');

    const [letter] = (await stack.deadLetters.list(CONNECTOR)).filter((l) => l.eventId === placed.id);
    await stack.deadLetters.replay(CONNECTOR, letter.id);
    const done = await eventually(() => {
      const found = track.find(orderId);
      return found.steps.some((step) => step.kind === 'outcome' && step.outcome === 'applied') ? found : undefined;
    }, 60_000, 'the replayed event applied');
    expect(done.steps.filter((step) => step.kind === 'outcome').map((step) => step.kind === 'outcome' && step.outcome)).toEqual(['dead-lettered', 'replayed', 'applied']);
    expect(done.waiting).toEqual([]);
    expect(done.status).toBe('in-progress'); // the order itself waits for its confirmation
    await stop(projection);
    // The worker's cross-references would add records to the next tests' counts.
    await worker?.stop();
  });

  it('resumes after a restart from its committed offsets: nothing lost, nothing twice', async () => {
    const first = await start('restart.db');
    const tag = Date.now().toString(36);
    for (let i = 0; i < 20; i++) await stack.publish('switchboard.crm.OrderPlaced', `O-R1-${tag}-${i}`, orderPlaced(`O-R1-${tag}-${i}`, 1));
    await committedToEnd(stack.bus, first.projection.groupId, first.projection.topics);
    const before = first.store.eventCount();
    await stop(first.projection);
    first.store.close();
    stores.splice(stores.indexOf(first.store), 1);

    for (let i = 0; i < 20; i++) await stack.publish('switchboard.crm.OrderPlaced', `O-R2-${tag}-${i}`, orderPlaced(`O-R2-${tag}-${i}`, 1));
    const second = await start('restart.db');
    expect(second.projection.groupId).toBe(first.projection.groupId);
    await committedToEnd(stack.bus, second.projection.groupId, second.projection.topics);
    expect(second.store.eventCount()).toBe(before + 20);
    // Only the records after the committed offsets were read.
    expect(second.projection.recordsTaken).toBe(20);
    for (const id of [`O-R1-${tag}-0`, `O-R2-${tag}-19`]) expect(second.track.find(id).steps.filter((step) => step.kind === 'event')).toHaveLength(1);
    await stop(second.projection);
  });

  it('lets a second instance on the same database take over the partitions of one that stops', async () => {
    const a = await start('pair.db');
    const b = await start('pair.db');
    expect(b.projection.groupId).toBe(a.projection.groupId);
    await stop(a.projection);
    const tag = Date.now().toString(36);
    for (let i = 0; i < 12; i++) await stack.publish('switchboard.crm.OrderPlaced', `O-P-${tag}-${i}`, orderPlaced(`O-P-${tag}-${i}`, 1));
    await committedToEnd(stack.bus, b.projection.groupId, [`${stack.prefix}crm.order.v1`]);
    for (let i = 0; i < 12; i++) expect(b.track.find(`O-P-${tag}-${i}`).subject).toEqual({ kind: 'order', id: `O-P-${tag}-${i}` });
    await stop(b.projection);
  });
});
