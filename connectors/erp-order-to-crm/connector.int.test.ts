import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { callJson, eventually, useConnectorRig } from '../../tests/kit/index.js';
import connector from './connector.js';

interface Order { id: string; status: string; erpOrderNumber: string | null; rejection: { reasonCode: string; message: string | null } | null; timeline: { status: string }[] }

const confirmed = EXAMPLE_EVENTS['switchboard.erp.SalesOrderConfirmed'];
const rejected = EXAMPLE_EVENTS['switchboard.erp.SalesOrderRejected'];

describe('erp-order-to-crm against the real CRM, through the runtime', () => {
  const rig = useConnectorRig('crm', connector, 'c6');
  let customerId: string;

  beforeAll(async () => {
    const customer = await callJson(rig.url, 'POST', '/customers', {
      name: 'Nordlicht Möbel GmbH', email: 'einkauf@nordlicht-moebel.de', segment: 'SMB',
      billingAddress: { line1: 'Hafenstraße 12', city: 'Hamburg', postalCode: '20457', country: 'DE' },
    });
    expect(customer.status).toBe(201);
    customerId = (customer.body as { id: string }).id;
  });

  const placeOrder = async (): Promise<string> => {
    const order = await callJson(rig.url, 'POST', '/orders', { customerId, lines: [{ sku: 'SKU-CHAIR-01', quantity: 4 }] });
    expect(order.status).toBe(201);
    return (order.body as { id: string }).id;
  };
  const order = async (id: string): Promise<Order> => (await callJson(rig.url, 'GET', `/orders/${id}`)).body as Order;

  it('shows a confirmed order as CONFIRMED with the ERP order number, once, even when the event comes twice', async () => {
    const id = await placeOrder();
    const value = { ...confirmed, crmOrderId: id, crmCustomerId: customerId };
    const first = await rig.stack.publish('switchboard.erp.SalesOrderConfirmed', id, value);
    await rig.stack.publish('switchboard.erp.SalesOrderConfirmed', id, value, { id: first.id });
    const shown = await eventually(async () => {
      const current = await order(id);
      return current.status === 'CONFIRMED' ? current : undefined;
    }, 30000, 'CONFIRMED');
    expect(shown.erpOrderNumber).toBe('SO-2024-0042');
    // Once the worker has handled both copies, the order still shows one CONFIRMED step.
    await eventually(() => (rig.worker.stats.delivered + rig.worker.stats.skipped >= 2 ? true : undefined), 30000, 'both copies handled');
    expect(rig.worker.stats.delivered).toBe(1);
    expect((await order(id)).timeline.filter((step) => step.status === 'CONFIRMED')).toHaveLength(1);
  });

  it('shows a rejected order as REJECTED with reason code and message', async () => {
    const id = await placeOrder();
    await rig.stack.publish('switchboard.erp.SalesOrderRejected', id, { ...rejected, crmOrderId: id, crmCustomerId: customerId, salesOrderNumber: 'SO-9' });
    const shown = await eventually(async () => {
      const current = await order(id);
      return current.status === 'REJECTED' ? current : undefined;
    }, 30000, 'REJECTED');
    expect(shown).toMatchObject({ erpOrderNumber: 'SO-9', rejection: { reasonCode: 'CREDIT_HOLD', message: 'Account 100012 is on credit hold' } });
    expect(await rig.stack.deadLetters.list(connector.name)).toEqual([]);
  });
});
