import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { callJson, eventually, statsWhen, useConnectorRig } from '../../tests/kit/index.js';
import { createCrmCustomer, placeCrmOrder } from '../../tests/kit/crm-seed.js';
import connector from './connector.js';

interface Order { id: string; status: string; shipment: { carrier: string; trackingNumber: string } | null; timeline: { status: string; note: string | null }[] }

const dispatched = EXAMPLE_EVENTS['switchboard.scm.ShipmentDispatched'];
const delivered = EXAMPLE_EVENTS['switchboard.scm.ShipmentDelivered'];

describe('scm-shipment-to-crm against the real CRM, through the runtime', () => {
  const rig = useConnectorRig('crm', connector, 'c10');
  let customerId: string;

  const placeOrder = (): Promise<string> => placeCrmOrder(rig.url, customerId);
  const order = async (id: string): Promise<Order> => (await callJson(rig.url, 'GET', `/orders/${id}`)).body as Order;
  const statusOf = (id: string, status: string) => async (): Promise<Order | undefined> => {
    const current = await order(id);
    return current.status === status ? current : undefined;
  };

  beforeAll(async () => {
    customerId = await createCrmCustomer(rig.url);
  });

  it('shows the order SHIPPED with carrier and tracking, then DELIVERED, each once although both events come twice', async () => {
    const id = await placeOrder();
    expect((await callJson(rig.url, 'POST', `/orders/${id}/confirm`, { erpOrderNumber: 'SO-1' })).status).toBe(200);
    const shipped = await rig.stack.publish('switchboard.scm.ShipmentDispatched', id, { ...dispatched, crmOrderId: id });
    await rig.stack.publish('switchboard.scm.ShipmentDispatched', id, { ...dispatched, crmOrderId: id }, { id: shipped.id });
    const afterShip = await eventually(statusOf(id, 'SHIPPED'), 30000, 'SHIPPED');
    expect(afterShip.shipment).toEqual({ carrier: 'DHL', trackingNumber: '00340434161094042557' });

    const arrived = await rig.stack.publish('switchboard.scm.ShipmentDelivered', id, { ...delivered, crmOrderId: id });
    await rig.stack.publish('switchboard.scm.ShipmentDelivered', id, { ...delivered, crmOrderId: id }, { id: arrived.id });
    await eventually(statusOf(id, 'DELIVERED'), 30000, 'DELIVERED');
    // All four records settled: each event applied once, each copy skipped.
    expect(await statsWhen(rig.worker, 'four records settled', (stats) => stats.delivered + stats.skipped >= 4)).toMatchObject({ delivered: 2, skipped: 2 });
    const final = await order(id);
    expect(final.timeline.map((step) => step.status)).toEqual(['PLACED', 'CONFIRMED', 'SHIPPED', 'DELIVERED']);
    expect(await rig.stack.deadLetters.list(connector.name)).toEqual([]);
  });

  it('reports a dispatch of an order cancelled meanwhile: SHIPPED with a note, so the rep can arrange the return', async () => {
    const id = await placeOrder();
    expect((await callJson(rig.url, 'POST', `/orders/${id}/cancel`, { reason: 'changed mind' })).body).toMatchObject({ status: 'CANCELLED' });
    await rig.stack.publish('switchboard.scm.ShipmentDispatched', id, { ...dispatched, crmOrderId: id, carrier: 'UPS', trackingNumber: '1Z999' });
    const after = await eventually(statusOf(id, 'SHIPPED'), 30000, 'SHIPPED after cancellation');
    expect(after.shipment).toEqual({ carrier: 'UPS', trackingNumber: '1Z999' });
    expect(after.timeline.at(-1)).toMatchObject({ status: 'SHIPPED', note: 'dispatched after cancellation: UPS 1Z999' });
  });

  it('brings an order whose dispatch report went missing to DELIVERED from the delivery alone, with one idempotency key per call', async () => {
    const id = await placeOrder();
    const event = await rig.stack.publish('switchboard.scm.ShipmentDelivered', id, { ...delivered, crmOrderId: id });
    expect(await eventually(statusOf(id, 'DELIVERED'), 30000, 'DELIVERED')).toMatchObject({ shipment: { carrier: 'DHL' } });
    // The CRM stored both calls' idempotency keys: `<connector>:<ce_id>` for ship, `:1` for deliver.
    const keys = rig.service.db.prepare('SELECT key FROM idempotency_keys WHERE key LIKE ? ORDER BY key').all(`%${event.id}%`) as { key: string }[];
    expect(keys.map((row) => row.key)).toEqual([`${connector.name}:${event.id}`, `${connector.name}:${event.id}:1`]);
  });

  it('dead-letters (does not retry) a dispatch of an order the ERP rejected: the CRM refuses it with 409', async () => {
    const id = await placeOrder();
    await callJson(rig.url, 'POST', `/orders/${id}/reject`, { reasonCode: 'CREDIT_HOLD' });
    const event = await rig.stack.publish('switchboard.scm.ShipmentDispatched', id, { ...dispatched, crmOrderId: id });
    const letter = await eventually(async () => (await rig.stack.deadLetters.list(connector.name)).find((candidate) => candidate.eventId === event.id), 30000, 'the dead letter');
    expect(letter).toMatchObject({ errorCode: 'SWB_ERR_RUNTIME_TARGET_REJECTED', attempts: 1 });
    expect(letter.errorMessage).toMatch(/answered 409/);
    expect((await order(id)).status).toBe('REJECTED');
  });
});
