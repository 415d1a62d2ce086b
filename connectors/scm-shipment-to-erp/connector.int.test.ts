import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { callJson, eventually, statsWhen, useConnectorRig, withFastRetries } from '../../tests/kit/index.js';
import connector from './connector.js';

interface Invoice { invoiceNumber: string; salesOrderNumber: string; amount: { amount: string }; status: string; shipmentId: string | null }

const dispatched = EXAMPLE_EVENTS['switchboard.scm.ShipmentDispatched'];
const shipTo = { line1: 'Lagerweg 3', city: 'Bremen', postalCode: '28197', country: 'DE' };

describe('scm-shipment-to-erp against the real ERP, through the runtime', () => {
  const rig = useConnectorRig('erp', withFastRetries(connector), 'c9');

  /** A confirmed ERP sales order for a CRM order; returns its number. */
  async function salesOrder(crmOrderId: string): Promise<string> {
    const created = await callJson(rig.url, 'POST', '/sales-orders', { crmOrderId, crmCustomerId: 'C-1017', lines: [{ sku: 'SKU-CHAIR-01', quantity: 4 }], shipTo });
    expect(created.body).toMatchObject({ status: 'CONFIRMED' });
    return (created.body as { salesOrderNumber: string }).salesOrderNumber;
  }
  const invoices = async (salesOrderNumber: string): Promise<Invoice[]> => (await callJson(rig.url, 'GET', `/invoices?salesOrderNumber=${salesOrderNumber}`)).body as Invoice[];

  beforeAll(async () => {
    expect((await callJson(rig.url, 'PUT', '/accounts/C-1017', { name: 'Nordlicht Möbel GmbH', segment: 'SMB' })).status).toBe(201);
    expect((await callJson(rig.url, 'POST', '/products', { sku: 'SKU-CHAIR-01', name: 'Chair', unitPrice: { amount: '149.90', currency: 'EUR' } })).status).toBe(201);
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
    // Both copies settled, the second skipped: one invoice.
    expect(await statsWhen(rig.worker, 'both copies settled', (stats) => stats.delivered + stats.skipped >= 2)).toMatchObject({ delivered: 1, skipped: 1 });
    expect(await invoices(number)).toHaveLength(1);
    expect((await callJson(rig.url, 'GET', '/accounts/C-1017')).body).toMatchObject({ balance: { amount: '599.60' } });
    expect(await rig.stack.deadLetters.list(connector.name)).toEqual([]);
  });

  it('still invoices a shipment dispatched for an order cancelled meanwhile (the goods have left)', async () => {
    const number = await salesOrder('O-2');
    expect((await callJson(rig.url, 'POST', '/sales-order-cancellations', { crmOrderId: 'O-2', reason: 'customer changed their mind' })).status).toBeLessThan(300);
    expect((await callJson(rig.url, 'GET', `/sales-orders/${number}`)).body).toMatchObject({ status: 'CANCELLED' });
    await rig.stack.publish('switchboard.scm.ShipmentDispatched', 'O-2', { ...dispatched, crmOrderId: 'O-2', salesOrderNumber: number, shipmentId: 'SH-2' });
    const [invoice] = await eventually(async () => {
      const found = await invoices(number);
      return found.length > 0 ? found : undefined;
    }, 30000, 'the invoice of the cancelled order');
    expect(invoice).toMatchObject({ status: 'ISSUED', amount: { amount: '599.60' } });
  });

  it('retries a dispatch for a sales order the ERP does not know yet (retriable 404) instead of dead-lettering it', async () => {
    const before = { ...rig.worker.stats };
    await rig.stack.publish('switchboard.scm.ShipmentDispatched', 'O-3', { ...dispatched, crmOrderId: 'O-3', salesOrderNumber: 'SO-LATE', shipmentId: 'SH-3' });
    const waiting = await statsWhen(rig.worker, 'a retry', (stats) => stats.retried > before.retried);
    expect(waiting.lastError?.code).toBe('SWB_ERR_RUNTIME_MISSING_DEPENDENCY');
    expect(waiting.lastError?.message).toMatch(/answered 404/);
    expect(waiting.deadLettered).toBe(before.deadLettered);
  });
});
