import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { useConnectorRig } from '../../tests/support/connector-rig.js';
import { createCrmCustomer, placeCrmOrder } from '../../tests/support/crm-seed.js';
import { eventually } from '../../tests/support/isolation.js';
import { TargetCallError, getJson, performEvent, sendJson, testEvent } from '../../tests/support/perform-actions.js';
import connector from './connector.js';

interface Order { id: string; status: string; shipment: { carrier: string; trackingNumber: string } | null; timeline: { status: string; note: string | null }[] }

const dispatched = EXAMPLE_EVENTS['switchboard.scm.ShipmentDispatched'];
const delivered = EXAMPLE_EVENTS['switchboard.scm.ShipmentDelivered'];

describe('scm-shipment-to-crm against the real CRM, through the runtime', () => {
  const rig = useConnectorRig('crm', connector, 'c10');
  let customerId: string;

  const placeOrder = (): Promise<string> => placeCrmOrder(rig.url, customerId);
  const order = async (id: string): Promise<Order> => (await getJson(rig.url, `/orders/${id}`)).body as Order;
  const statusOf = (id: string, status: string) => async (): Promise<Order | undefined> => {
    const current = await order(id);
    return current.status === status ? current : undefined;
  };

  beforeAll(async () => {
    customerId = await createCrmCustomer(rig.url);
  });

  it('shows the order SHIPPED with carrier and tracking, then DELIVERED, each once although both events come twice', async () => {
    const id = await placeOrder();
    expect((await sendJson(rig.url, 'POST', `/orders/${id}/confirm`, { erpOrderNumber: 'SO-1' })).status).toBe(200);
    const shipped = await rig.stack.publish('switchboard.scm.ShipmentDispatched', id, { ...dispatched, crmOrderId: id });
    await rig.stack.publish('switchboard.scm.ShipmentDispatched', id, { ...dispatched, crmOrderId: id }, { id: shipped.id });
    const afterShip = await eventually(statusOf(id, 'SHIPPED'), 30000, 'SHIPPED');
    expect(afterShip.shipment).toEqual({ carrier: 'DHL', trackingNumber: '00340434161094042557' });

    const arrived = await rig.stack.publish('switchboard.scm.ShipmentDelivered', id, { ...delivered, crmOrderId: id });
    await rig.stack.publish('switchboard.scm.ShipmentDelivered', id, { ...delivered, crmOrderId: id }, { id: arrived.id });
    await eventually(statusOf(id, 'DELIVERED'), 30000, 'DELIVERED');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const final = await order(id);
    expect(final.timeline.map((step) => step.status)).toEqual(['PLACED', 'CONFIRMED', 'SHIPPED', 'DELIVERED']);
    expect(await rig.stack.deadLetters.list(connector.name)).toEqual([]);
  });

  it('reports a dispatch of an order cancelled meanwhile: SHIPPED with a note, so the rep can arrange the return', async () => {
    const id = await placeOrder();
    expect((await sendJson(rig.url, 'POST', `/orders/${id}/cancel`, { reason: 'changed mind' })).body).toMatchObject({ status: 'CANCELLED' });
    const run = await performEvent(connector, testEvent('switchboard.scm.ShipmentDispatched', { ...dispatched, crmOrderId: id, carrier: 'UPS', trackingNumber: '1Z999' }), { baseUrl: rig.url });
    expect(run.calls.map((call) => call.status)).toEqual([200]);
    const after = await order(id);
    expect(after).toMatchObject({ status: 'SHIPPED', shipment: { carrier: 'UPS', trackingNumber: '1Z999' } });
    expect(after.timeline.at(-1)).toMatchObject({ status: 'SHIPPED', note: 'dispatched after cancellation: UPS 1Z999' });
  });

  it('brings an order whose dispatch report went missing to DELIVERED from the delivery alone', async () => {
    const id = await placeOrder();
    const run = await performEvent(connector, testEvent('switchboard.scm.ShipmentDelivered', { ...delivered, crmOrderId: id }), { baseUrl: rig.url });
    expect(run.calls.map((call) => [call.path, call.status])).toEqual([[`/orders/${id}/ship`, 200], [`/orders/${id}/deliver`, 200]]);
    expect(run.calls[1]?.idempotencyKey).toBe(`${run.calls[0]?.idempotencyKey}:1`);
    expect(await order(id)).toMatchObject({ status: 'DELIVERED', shipment: { carrier: 'DHL' } });
  });

  it('is refused (dead-lettered, not retried) for an order the ERP rejected', async () => {
    const id = await placeOrder();
    await sendJson(rig.url, 'POST', `/orders/${id}/reject`, { reasonCode: 'CREDIT_HOLD' });
    const refused = await performEvent(connector, testEvent('switchboard.scm.ShipmentDispatched', { ...dispatched, crmOrderId: id }), { baseUrl: rig.url }).catch((error: unknown) => error);
    expect((refused as TargetCallError).call).toMatchObject({ status: 409 });
  });
});
