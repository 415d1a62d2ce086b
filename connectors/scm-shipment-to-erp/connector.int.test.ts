import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { useConnectorRig } from '../../tests/support/connector-rig.js';
import { eventually } from '../../tests/support/isolation.js';
import { TargetCallError, getJson, performEvent, sendJson, testEvent } from '../../tests/support/perform-actions.js';
import connector from './connector.js';

interface Invoice { invoiceNumber: string; salesOrderNumber: string; amount: { amount: string }; status: string; shipmentId: string | null }

const dispatched = EXAMPLE_EVENTS['switchboard.scm.ShipmentDispatched'];
const shipTo = { line1: 'Lagerweg 3', city: 'Bremen', postalCode: '28197', country: 'DE' };

describe('scm-shipment-to-erp against the real ERP, through the runtime', () => {
  const rig = useConnectorRig('erp', connector, 'c9');

  /** A confirmed ERP sales order for a CRM order; returns its number. */
  async function salesOrder(crmOrderId: string): Promise<string> {
    const created = await sendJson(rig.url, 'POST', '/sales-orders', { crmOrderId, crmCustomerId: 'C-1017', lines: [{ sku: 'SKU-CHAIR-01', quantity: 4 }], shipTo });
    expect(created.body).toMatchObject({ status: 'CONFIRMED' });
    return (created.body as { salesOrderNumber: string }).salesOrderNumber;
  }
  const invoices = async (salesOrderNumber: string): Promise<Invoice[]> => (await getJson(rig.url, `/invoices?salesOrderNumber=${salesOrderNumber}`)).body as Invoice[];

  beforeAll(async () => {
    expect((await sendJson(rig.url, 'PUT', '/accounts/C-1017', { name: 'Nordlicht Möbel GmbH', segment: 'SMB' })).status).toBe(201);
    expect((await sendJson(rig.url, 'POST', '/products', { sku: 'SKU-CHAIR-01', name: 'Chair', unitPrice: { amount: '149.90', currency: 'EUR' } })).status).toBe(201);
  });

  it('issues one invoice for a dispatched sales order, even when the event comes twice', async () => {
    const number = await salesOrder('O-1');
    const event = { ...dispatched, crmOrderId: 'O-1', salesOrderNumber: number, shipmentId: 'SH-1' };
    const first = await rig.stack.publish('switchboard.scm.ShipmentDispatched', 'O-1', event);
    await rig.stack.publish('switchboard.scm.ShipmentDispatched', 'O-1', event, { id: first.id });
    const [invoice] = await eventually(async () => {
      const found = await invoices(number);
      return found.length > 0 ? found : undefined;
    }, 30000, 'invoice');
    expect(invoice).toMatchObject({ salesOrderNumber: number, amount: { amount: '599.60' }, status: 'ISSUED', shipmentId: 'SH-1' });
    // Let the duplicate through, then check nothing more happened.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await invoices(number)).toHaveLength(1);
    expect((await getJson(rig.url, '/accounts/C-1017')).body).toMatchObject({ balance: { amount: '599.60' } });
    expect(await rig.stack.deadLetters.list(connector.name)).toEqual([]);
  });

  it('still invoices a shipment dispatched for an order cancelled meanwhile (the goods have left)', async () => {
    const number = await salesOrder('O-2');
    expect((await sendJson(rig.url, 'POST', '/sales-order-cancellations', { crmOrderId: 'O-2', reason: 'customer changed their mind' })).status).toBeLessThan(300);
    expect((await getJson(rig.url, `/sales-orders/${number}`)).body).toMatchObject({ status: 'CANCELLED' });
    const run = await performEvent(connector, testEvent('switchboard.scm.ShipmentDispatched', { ...dispatched, crmOrderId: 'O-2', salesOrderNumber: number, shipmentId: 'SH-2' }), { baseUrl: rig.url });
    expect(run.calls[0]?.status).toBe(201);
    expect(await invoices(number)).toEqual([expect.objectContaining({ status: 'ISSUED', amount: expect.objectContaining({ amount: '599.60' }) })]);
  });

  it('gets a retriable 404 for a sales order the ERP does not know yet', async () => {
    const event = testEvent('switchboard.scm.ShipmentDispatched', { ...dispatched, crmOrderId: 'O-3', salesOrderNumber: 'SO-UNKNOWN', shipmentId: 'SH-3' });
    const refused = await performEvent(connector, event, { baseUrl: rig.url }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TargetCallError);
    expect((refused as TargetCallError).call).toMatchObject({ status: 404, responseBody: { error: { retriable: true } } });
  });
});
