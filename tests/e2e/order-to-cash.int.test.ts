/**
 * End to end through the whole system (three services and one worker running every connector,
 * as real processes), seeded and observed through the services' HTTP APIs only. The tests
 * share one system and never share a customer, order or SKU, so they do not interfere.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { startSystem, type RunningSystem } from '../support/system.js';
import { Systems, deadLetterCounts, steps, type CrmCustomer, type ErpAccount, type StockLevel } from './e2e-support.js';

jest.setTimeout(300_000);

let system: RunningSystem;
let sys: Systems;

beforeAll(async () => {
  system = await startSystem();
  sys = new Systems(system);
  await sys.warehouse('WH-E2E');
}, 240_000);

afterAll(async () => {
  await system?.stop();
}, 120_000);

/** Runs a test body; a failure carries the system's log tail, so it is diagnosable. */
async function withLogs(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    throw new Error(`${String(error instanceof Error ? error.stack ?? error.message : error)}\n--- system log tail ---\n${system.logTail(120)}`);
  }
}

describe('order to cash', () => {
  it('takes a CRM order through confirmation, reservation, dispatch, invoice and payment, each effect once, and the CRM shows every step', () => withLogs(async () => {
    await sys.product('O2C-A', '12.50');
    await sys.product('O2C-B', '7.25');
    await sys.receive('O2C-A', 'WH-E2E', 20);
    await sys.receive('O2C-B', 'WH-E2E', 20);
    const customer = await sys.customer('Order To Cash Ltd', 'SMB');
    expect(customer.erpAccountNumber).toMatch(/\S/);
    expect(customer.creditStatus).toBe('OK');

    const placed = await sys.placeOrder(customer.id, [{ sku: 'O2C-A', quantity: 4 }, { sku: 'O2C-B', quantity: 2 }]);
    expect(placed.status).toBe('PLACED');

    // Flow 4 then 6: the ERP confirms and the CRM shows the ERP order number.
    const confirmed = await sys.orderWhen(placed.id, 'CONFIRMED', (o) => o.status === 'CONFIRMED' && o.erpOrderNumber !== null);
    const [salesOrder] = await sys.salesOrders(placed.id);
    expect(salesOrder).toMatchObject({ salesOrderNumber: confirmed.erpOrderNumber, crmOrderId: placed.id, status: 'CONFIRMED', total: { amount: '64.50', currency: 'EUR' } });

    // Flow 5: the SCM reserves the stock and creates the shipment.
    const shipment = await sys.shipmentWhen(salesOrder.salesOrderNumber, 'READY');
    expect(shipment.lines).toEqual(expect.arrayContaining([
      expect.objectContaining({ sku: 'O2C-A', quantity: 4, reserved: 4 }),
      expect.objectContaining({ sku: 'O2C-B', quantity: 2, reserved: 2 }),
    ]));
    expect(await sys.scm.get<StockLevel>('/stock/O2C-A')).toMatchObject({ onHand: 20, reserved: 4, available: 16 });

    await sys.scm.post(`/shipments/${shipment.id}/dispatch`, { carrier: 'DHL', trackingNumber: 'TRK-O2C-1' });

    // Flows 9 and 10: the ERP invoices the dispatched goods; the CRM shows SHIPPED with the tracking.
    const invoice = await sys.until('the invoice', async () => (await sys.invoices(salesOrder.salesOrderNumber))[0]);
    expect(invoice).toMatchObject({ salesOrderNumber: salesOrder.salesOrderNumber, amount: { amount: '64.50', currency: 'EUR' }, status: 'ISSUED' });
    const invoiced = await sys.orderWhen(placed.id, 'SHIPPED and INVOICED', (o) => o.status === 'SHIPPED' && o.invoice?.status === 'ISSUED');
    expect(invoiced.shipment).toEqual({ carrier: 'DHL', trackingNumber: 'TRK-O2C-1' });
    expect(invoiced.invoice).toMatchObject({ number: invoice.invoiceNumber, amount: { amount: '64.50', currency: 'EUR' } });

    // Flow 3: the invoice raised the account's balance, and the CRM shows it.
    await sys.until('the balance 64.50 in the CRM', async () => {
      const c = await sys.crm.get<CrmCustomer>(`/customers/${customer.id}`);
      return c.balance?.amount === '64.50' ? c : undefined;
    });

    await sys.erp.post('/payments', { invoiceNumber: invoice.invoiceNumber, amount: { amount: '64.50', currency: 'EUR' } });

    // Flow 11 and 3: PAID on the order, balance back to zero on the customer.
    const paid = await sys.orderWhen(placed.id, 'PAID', (o) => o.invoice?.status === 'PAID');
    expect(paid.status).toBe('SHIPPED');
    expect(paid.invoice).toMatchObject({ number: invoice.invoiceNumber, status: 'PAID', outstanding: { amount: '0.00', currency: 'EUR' } });
    const settled = await sys.until('the balance 0.00 in the CRM', async () => {
      const c = await sys.crm.get<CrmCustomer>(`/customers/${customer.id}`);
      return c.balance?.amount === '0.00' ? c : undefined;
    });
    const account = await sys.erp.get<ErpAccount>(`/customers/${settled.erpAccountNumber ?? ''}`);
    expect(account.balance).toEqual(settled.balance);
    expect(settled.creditStatus).toBe(account.creditStatus);

    // The timeline lists the steps, in order.
    expect(steps(paid)).toEqual(['PLACED', 'CONFIRMED', 'SHIPPED', 'INVOICED', 'PAID']);

    // Each effect exactly once.
    expect(await sys.salesOrders(placed.id)).toHaveLength(1);
    expect(await sys.shipments(salesOrder.salesOrderNumber)).toHaveLength(1);
    expect(await sys.invoices(salesOrder.salesOrderNumber)).toHaveLength(1);
    // Stock issued once: on hand fell by the shipped quantity and nothing stays reserved.
    expect(await sys.scm.get<StockLevel>('/stock/O2C-A')).toMatchObject({ onHand: 16, reserved: 0, available: 16 });
    expect(await deadLetterCounts(system.prefix)).toEqual({});
  }));
});
