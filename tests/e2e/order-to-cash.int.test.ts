/**
 * End to end through the whole system (three services and one worker running every connector,
 * as real processes), seeded and observed through the services' HTTP APIs only. The tests
 * share one system and never share a customer, order or SKU, so they do not interfere.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { CONNECTORS } from '../../connectors/index.js';
import { startSystem, withSystemLog, type RunningSystem } from '../kit/system.js';
import { deadLetterCounts } from '../kit/system-bus.js';
import {
  Systems, steps,
  type CrmCustomer, type CrmProduct, type ErpAccount, type ExpectedReceipt, type InventoryPosition, type PurchaseOrder, type StockLevel,
} from '../kit/system-clients.js';

jest.setTimeout(300_000);

const CONNECTOR_NAMES = CONNECTORS.map((connector) => connector.name);

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

describe('order to cash', () => {
  it('takes a CRM order through confirmation, reservation, dispatch, invoice and payment, each effect once, and the CRM shows every step', () => withSystemLog(system, async () => {
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

    // The timeline lists every step once. SHIPPED (flow 10) and INVOICED (flows 9 then 11) travel
    // separate paths and may land in either order; PAID follows the payment made after INVOICED.
    const timeline = steps(paid);
    expect(timeline.slice(0, 2)).toEqual(['PLACED', 'CONFIRMED']);
    expect([...timeline.slice(2)].sort()).toEqual(['INVOICED', 'PAID', 'SHIPPED']);
    expect(timeline.indexOf('PAID')).toBeGreaterThan(timeline.indexOf('INVOICED'));

    // Each effect exactly once.
    expect(await sys.salesOrders(placed.id)).toHaveLength(1);
    expect(await sys.shipments(salesOrder.salesOrderNumber)).toHaveLength(1);
    expect(await sys.invoices(salesOrder.salesOrderNumber)).toHaveLength(1);
    // Stock issued once: on hand fell by the shipped quantity and nothing stays reserved.
    expect(await sys.scm.get<StockLevel>('/stock/O2C-A')).toMatchObject({ onHand: 16, reserved: 0, available: 16 });
    expect(await deadLetterCounts(system.prefix, CONNECTOR_NAMES)).toEqual({});
  }));

  it('rejects an order above the credit limit of the customer\'s segment, with the reason in the CRM', () => withSystemLog(system, async () => {
    await sys.product('REJ-A', '150.00');
    const customer = await sys.customer('Small Spender', 'CONSUMER');
    expect(customer.creditLimit).toEqual({ amount: '2000.00', currency: 'EUR' });

    const placed = await sys.placeOrder(customer.id, [{ sku: 'REJ-A', quantity: 20 }]);
    const rejected = await sys.orderWhen(placed.id, 'REJECTED', (o) => o.status === 'REJECTED');
    expect(rejected.rejection).toEqual({ reasonCode: 'CREDIT_LIMIT_EXCEEDED', message: expect.stringMatching(/\S/) });
    expect(steps(rejected)).toEqual(['PLACED', 'REJECTED']);

    const salesOrders = await sys.salesOrders(placed.id);
    expect(salesOrders).toHaveLength(1);
    expect(salesOrders[0]).toMatchObject({ status: 'REJECTED', rejection: { reasonCode: 'CREDIT_LIMIT_EXCEEDED' } });
    expect(rejected.erpOrderNumber).toBe(salesOrders[0].salesOrderNumber);
    // Only confirmed orders are fulfilled (flow 5 takes SalesOrderConfirmed only).
    expect(await sys.shipmentsOfCrmOrder(placed.id)).toEqual([]);
  }));

  it('rejects with CREDIT_HOLD once the account is on hold: balance above a limit lowered by a segment change', () => withSystemLog(system, async () => {
    await sys.product('HOLD-A', '1000.00');
    await sys.receive('HOLD-A', 'WH-E2E', 10);
    const customer = await sys.customer('Former Big Buyer', 'SMB');

    // An invoiced order of 3000.00 leaves an open balance within the SMB limit (10000.00).
    const first = await sys.placeOrder(customer.id, [{ sku: 'HOLD-A', quantity: 3 }]);
    const confirmed = await sys.orderWhen(first.id, 'CONFIRMED', (o) => o.status === 'CONFIRMED');
    const shipment = await sys.shipmentWhen(confirmed.erpOrderNumber ?? '', 'READY');
    await sys.scm.post(`/shipments/${shipment.id}/dispatch`, { carrier: 'UPS', trackingNumber: 'TRK-HOLD-1' });
    await sys.orderWhen(first.id, 'INVOICED', (o) => o.invoice?.status === 'ISSUED');

    // The customer becomes a consumer (limit 2000.00): flows 1 and 3 put the account on HOLD, visibly in the CRM.
    await sys.crm.patch(`/customers/${customer.id}`, { segment: 'CONSUMER' });
    const held = await sys.until('credit status HOLD in the CRM', async () => {
      const c = await sys.crm.get<CrmCustomer>(`/customers/${customer.id}`);
      return c.creditStatus === 'HOLD' ? c : undefined;
    });
    expect(held.balance).toEqual({ amount: '3000.00', currency: 'EUR' });
    expect(held.creditLimit).toEqual({ amount: '2000.00', currency: 'EUR' });

    const second = await sys.placeOrder(customer.id, [{ sku: 'HOLD-A', quantity: 1 }]);
    const rejected = await sys.orderWhen(second.id, 'REJECTED', (o) => o.status === 'REJECTED');
    expect(rejected.rejection).toEqual({ reasonCode: 'CREDIT_HOLD', message: expect.stringMatching(/\S/) });
    expect(await sys.salesOrders(second.id)).toEqual([expect.objectContaining({ status: 'REJECTED' })]);
    expect(await sys.shipmentsOfCrmOrder(second.id)).toEqual([]);
    expect(await sys.salesOrders(first.id)).toHaveLength(1);
    expect(await sys.invoices(confirmed.erpOrderNumber ?? '')).toHaveLength(1);
  }));

  it('backorders what is not on hand and ships it once a goods receipt allocates the rest', () => withSystemLog(system, async () => {
    await sys.product('BO-A', '5.00');
    await sys.receive('BO-A', 'WH-E2E', 2);
    const customer = await sys.customer('Patient Buyer', 'SMB');

    const placed = await sys.placeOrder(customer.id, [{ sku: 'BO-A', quantity: 5 }]);
    const confirmed = await sys.orderWhen(placed.id, 'CONFIRMED', (o) => o.status === 'CONFIRMED');
    const salesOrderNumber = confirmed.erpOrderNumber ?? '';
    const backordered = await sys.shipmentWhen(salesOrderNumber, 'BACKORDERED');
    expect(backordered.lines).toEqual([expect.objectContaining({ sku: 'BO-A', quantity: 5, reserved: 2 })]);
    expect(await sys.scm.get<StockLevel>('/stock/BO-A')).toMatchObject({ onHand: 2, reserved: 2, available: 0 });
    // A backordered shipment cannot leave the warehouse.
    await expect(sys.scm.post(`/shipments/${backordered.id}/dispatch`, { carrier: 'DHL', trackingNumber: 'TRK-BO-0' })).rejects.toMatchObject({ status: 409 });

    await sys.receive('BO-A', 'WH-E2E', 10, 'DN-BO-1');
    const ready = await sys.shipmentWhen(salesOrderNumber, 'READY');
    expect(ready.id).toBe(backordered.id);
    expect(ready.lines).toEqual([expect.objectContaining({ sku: 'BO-A', quantity: 5, reserved: 5 })]);
    expect(await sys.scm.get<StockLevel>('/stock/BO-A')).toMatchObject({ onHand: 12, reserved: 5, available: 7 });

    await sys.scm.post(`/shipments/${ready.id}/dispatch`, { carrier: 'DHL', trackingNumber: 'TRK-BO-1' });
    const shipped = await sys.orderWhen(placed.id, 'SHIPPED and INVOICED', (o) => o.status === 'SHIPPED' && o.invoice !== null);
    expect(shipped.shipment).toEqual({ carrier: 'DHL', trackingNumber: 'TRK-BO-1' });
    expect(shipped.invoice?.amount).toEqual({ amount: '25.00', currency: 'EUR' });
    // Flow 8: the catalogue shows what is left to promise.
    await sys.until('availability 7 in the CRM catalogue', async () => {
      const product = await sys.crm.get<CrmProduct>('/products/BO-A');
      return product.available === 7 ? product : undefined;
    });

    expect(await sys.salesOrders(placed.id)).toHaveLength(1);
    expect(await sys.shipments(salesOrderNumber)).toHaveLength(1);
    expect(await sys.invoices(salesOrderNumber)).toHaveLength(1);
  }));
});

describe('procure to pay', () => {
  it('turns a reorder point into one ERP purchase order, an expected receipt in the SCM, and a receipt booked in the ERP inventory ledger', () => withSystemLog(system, async () => {
    await sys.product('P2P-A', '20.00', '8.00');
    await sys.scm.put('/items/P2P-A', { reorderPoint: 5, reorderQuantity: 50 });
    await sys.receive('P2P-A', 'WH-E2E', 10);
    const customer = await sys.customer('Steady Buyer', 'SMB');

    // Reserving 6 of 10 leaves 4 available, below the point of 5.
    const placed = await sys.placeOrder(customer.id, [{ sku: 'P2P-A', quantity: 6 }]);
    await sys.orderWhen(placed.id, 'CONFIRMED', (o) => o.status === 'CONFIRMED');

    // Flow 13: one purchase order for the reorder quantity, to the warehouse that ran low.
    const purchaseOrder = await sys.until('an ERP purchase order for P2P-A', async () => (await sys.erp.get<PurchaseOrder[]>('/purchase-orders?sku=P2P-A'))[0]);
    expect(purchaseOrder).toMatchObject({ sku: 'P2P-A', quantity: 50, warehouseId: 'WH-E2E', status: 'PLACED' });

    // Flow 14: the SCM expects it.
    const expected = await sys.until('the expected receipt in the SCM', async () => (await sys.scm.get<ExpectedReceipt[]>('/expected-receipts?sku=P2P-A'))[0]);
    expect(expected).toMatchObject({ purchaseOrderNumber: purchaseOrder.purchaseOrderNumber, sku: 'P2P-A', warehouseId: 'WH-E2E', quantity: 50, status: 'EXPECTED' });

    // The goods arrive; flow 7 books the receipt in the ERP and closes the purchase order.
    await sys.receive('P2P-A', 'WH-E2E', 50, purchaseOrder.purchaseOrderNumber);
    expect(await sys.scm.get<ExpectedReceipt[]>('/expected-receipts?sku=P2P-A')).toEqual([expect.objectContaining({ status: 'RECEIVED' })]);
    const inventory = await sys.until('the receipt in the ERP inventory ledger', async () => {
      const position = await sys.erp.get<InventoryPosition>('/inventory/P2P-A');
      return position.ledger.some((entry) => entry.reference === purchaseOrder.purchaseOrderNumber) ? position : undefined;
    });
    expect(inventory.ledger.filter((entry) => entry.reference === purchaseOrder.purchaseOrderNumber))
      .toEqual([expect.objectContaining({ movementType: 'RECEIPT', quantity: 50, warehouseId: 'WH-E2E' })]);
    // The ledger agrees with the SCM's stock: 10 + 50 on hand, 6 reserved, valued at standard cost.
    const stock = await sys.scm.get<StockLevel>('/stock/P2P-A');
    expect(stock).toMatchObject({ onHand: 60, reserved: 6, available: 54 });
    const settled = await sys.until('the ERP inventory to match the SCM', async () => {
      const position = await sys.erp.get<InventoryPosition>('/inventory/P2P-A');
      return position.onHand === stock.onHand && position.reserved === stock.reserved ? position : undefined;
    });
    expect(settled.value).toEqual({ amount: '480.00', currency: 'EUR' });
    expect(settled.ledger.map((entry) => entry.movementType).sort()).toEqual(['RECEIPT', 'RECEIPT', 'RESERVATION']);
    await sys.until('the purchase order RECEIVED', async () => {
      const [po] = await sys.erp.get<PurchaseOrder[]>('/purchase-orders?sku=P2P-A');
      return po.status === 'RECEIVED' ? po : undefined;
    });

    // Exactly one purchase order: the receipt lifted the stock above the point again, nothing reordered twice.
    expect(await sys.erp.get<PurchaseOrder[]>('/purchase-orders?sku=P2P-A')).toHaveLength(1);
    expect(await sys.scm.get<ExpectedReceipt[]>('/expected-receipts?sku=P2P-A')).toHaveLength(1);
  }));
});

describe('cancellation', () => {
  it('cancels an order in flight: the ERP sales order ends cancelled, nothing is dispatched, the CRM shows CANCELLED', () => withSystemLog(system, async () => {
    await sys.product('CXL-A', '9.00');
    await sys.receive('CXL-A', 'WH-E2E', 10);
    const customer = await sys.customer('Changed Mind', 'SMB');

    const placed = await sys.placeOrder(customer.id, [{ sku: 'CXL-A', quantity: 3 }]);
    const cancelled = await sys.crm.post<{ status: string }>(`/orders/${placed.id}/cancel`, { reason: 'customer changed their mind' });
    expect(cancelled.status).toBe('CANCELLED');

    // OrderPlaced and OrderCancelled share the order's key, so flow 4 applies them in order:
    // the sales order is created and then cancelled, never left open.
    const [salesOrder] = await sys.until('the ERP sales order cancelled', async () => {
      const found = await sys.salesOrders(placed.id);
      return found.length === 1 && found[0].status === 'CANCELLED' ? found : undefined;
    });
    expect(await sys.salesOrders(placed.id)).toHaveLength(1);

    // The confirmation the ERP sent before it saw the cancellation reaches the CRM late: it is
    // recorded in the timeline but does not reopen the order.
    const final = await sys.orderWhen(placed.id, 'the late confirmation recorded', (o) => steps(o).includes('CONFIRMED'));
    expect(final.status).toBe('CANCELLED');
    expect(steps(final).slice(0, 2)).toEqual(['PLACED', 'CANCELLED']);
    expect(final.shipment).toBeNull();
    expect(final.invoice).toBeNull();

    // Flow 5 fulfilled the confirmation and then cancelled the shipment for the cancellation
    // (same key, so in that order): the reservation is released, nothing dispatched or invoiced.
    const shipments = await sys.until('the shipment cancelled', async () => {
      const found = await sys.shipmentsOfCrmOrder(placed.id);
      return found.length > 0 && found.every((s) => s.status === 'CANCELLED') ? found : undefined;
    });
    expect(shipments).toHaveLength(1);
    const stock = await sys.scm.get<{ reserved: number; available: number }>('/stock/CXL-A');
    expect(stock).toMatchObject({ reserved: 0, available: 10 });
    expect(await sys.invoices(salesOrder.salesOrderNumber)).toEqual([]);
    // The late confirmation and the cancellation were absorbed, not dead-lettered.
    expect(await deadLetterCounts(system.prefix, CONNECTOR_NAMES)).toEqual({});
  }));
});

describe('the whole run', () => {
  it('dead-lettered nothing', async () => {
    expect(await deadLetterCounts(system.prefix, CONNECTOR_NAMES)).toEqual({});
  });
});
