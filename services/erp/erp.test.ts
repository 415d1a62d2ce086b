import { httpClient, type TestRequest, type TestResponse } from '../../tests/kit/app-client.js';
import { rowCounts } from '../../tests/kit/row-counts.js';
import type { ServiceApp } from '../../hub/service/index.js';
import { createErpApp } from './app.js';

const shipTo = { line1: 'Hauptstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE' };
const eur = (amount: string) => ({ amount, currency: 'EUR' });

let erp: ServiceApp;
let call: (request: TestRequest) => Promise<TestResponse>;

beforeEach(async () => {
  erp = await createErpApp({ dbPath: ':memory:', docsUi: false });
  call = await httpClient(erp.app);
  await ok(call({ method: 'POST', url: '/products', payload: { sku: 'SKU-1', name: 'Widget', unitPrice: eur('100.00'), standardCost: eur('60.00') } }));
  await ok(call({ method: 'POST', url: '/products', payload: { sku: 'SKU-2', name: 'Gadget', unitPrice: eur('1500'), standardCost: eur('900') } }));
});
afterEach(async () => {
  await erp.app.close();
});

async function ok(response: Promise<TestResponse>): Promise<ReturnType<TestResponse['json']>> {
  const res = await response;
  if (res.statusCode >= 300) throw new Error(`${res.statusCode} ${res.body}`);
  return res.json();
}

function events(eventType?: string): { event_type: string; aggregate_key: string; correlation_id: string; causation_id: string | null; payload: Record<string, unknown> }[] {
  const rows = erp.db.prepare('SELECT event_type, aggregate_key, correlation_id, causation_id, payload FROM outbox ORDER BY seq').all() as { event_type: string; aggregate_key: string; correlation_id: string; causation_id: string | null; payload: string }[];
  return rows.filter((r) => !eventType || r.event_type === eventType).map((r) => ({ ...r, payload: JSON.parse(r.payload) as Record<string, unknown> }));
}

const openAccount = (crmCustomerId: string, segment = 'SMB') =>
  ok(call({ method: 'PUT', url: `/accounts/${crmCustomerId}`, payload: { name: `Customer ${crmCustomerId}`, segment } }));
const placeOrder = (crmOrderId: string, crmCustomerId: string, lines: { sku: string; quantity: number }[], headers: Record<string, string> = {}) =>
  call({ method: 'POST', url: '/sales-orders', headers, payload: { crmOrderId, crmCustomerId, lines, shipTo } });

describe('ERP products', () => {
  it('publishes ProductCreated and PriceChanged with exact decimal amounts', async () => {
    expect(events('ProductCreated')[1]?.payload).toMatchObject({ sku: 'SKU-2', unitPrice: eur('1500.00'), standardCost: eur('900.00') });
    const patched = await ok(call({ method: 'PATCH', url: '/products/SKU-1', payload: { unitPrice: eur('110.10') } }));
    expect(patched.unitPrice).toEqual(eur('110.10'));
    expect(events('PriceChanged')[0]).toMatchObject({ aggregate_key: 'SKU-1', payload: { sku: 'SKU-1', unitPrice: eur('110.10'), previousUnitPrice: eur('100.00') } });
    await ok(call({ method: 'PATCH', url: '/products/SKU-1', payload: { name: 'Widget Pro' } }));
    expect(events('PriceChanged')).toHaveLength(1);
  });
});

describe('ERP amounts at and beyond what it holds', () => {
  it('answers 400, never 500, for a price beyond 13 digits; holds the largest one exactly', async () => {
    const before = rowCounts(erp.db);
    for (const amount of ['99999999999999.99', '999999999999999.99', '10000000000000']) {
      const res = await call({ method: 'PATCH', url: '/products/SKU-1', payload: { unitPrice: eur(amount) } });
      expect({ amount, status: res.statusCode, code: res.json().error.code }).toEqual({ amount, status: 400, code: 'SWB_ERR_VALIDATION_PATTERN' });
    }
    expect(rowCounts(erp.db)).toEqual(before);
    const largest = await ok(call({ method: 'PATCH', url: '/products/SKU-1', payload: { unitPrice: eur('9999999999999.99') } }));
    expect(largest.unitPrice).toEqual(eur('9999999999999.99'));
    expect(events('PriceChanged')[0]?.payload).toMatchObject({ unitPrice: eur('9999999999999.99') });
  });

  it('rejects an order whose total it cannot hold (INVALID_ORDER), and refuses stock values beyond with 422', async () => {
    await ok(call({ method: 'PATCH', url: '/products/SKU-1', payload: { unitPrice: eur('9999999999999.99'), standardCost: eur('9999999999999.99') } }));
    await openAccount('C-9', 'ENTERPRISE');
    const order = await ok(placeOrder('O-9', 'C-9', [{ sku: 'SKU-1', quantity: 2 }]));
    expect(order).toMatchObject({ status: 'REJECTED', rejection: { reasonCode: 'INVALID_ORDER', message: expect.stringContaining('9999999999999.99 EUR') }, total: eur('0.00') });
    expect(events('SalesOrderRejected')[0]?.payload).toMatchObject({ crmOrderId: 'O-9', reasonCode: 'INVALID_ORDER' });
    const before = rowCounts(erp.db);
    const movement = await call({ method: 'POST', url: '/inventory/movements', payload: { movementId: 'MV-9', sku: 'SKU-1', warehouseId: 'WH-1', movementType: 'RECEIPT', quantity: 1000 } });
    expect(movement.statusCode).toBe(422);
    expect(movement.json().error).toMatchObject({ code: 'SWB_ERR_MONEY_OUT_OF_RANGE', field: 'quantity' });
    expect(rowCounts(erp.db)).toEqual(before);
  });
});

describe('ERP accounts', () => {
  it('opens an account with the segment credit limit, once', async () => {
    const res = await call({ method: 'PUT', url: '/accounts/C-1', headers: { 'x-correlation-id': 'C-1', 'x-causation-id': 'evt-1' }, payload: { name: 'Acme', segment: 'SMB' } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ crmCustomerId: 'C-1', creditLimit: eur('10000.00'), balance: eur('0.00'), creditStatus: 'OK' });
    const again = await call({ method: 'PUT', url: '/accounts/C-1', payload: { name: 'Acme AG', segment: 'SMB' } });
    expect(again.statusCode).toBe(200);
    expect(events('CustomerAccountOpened')).toEqual([
      expect.objectContaining({ aggregate_key: 'C-1', correlation_id: 'C-1', causation_id: 'evt-1', payload: expect.objectContaining({ accountNumber: res.json().accountNumber, creditLimit: eur('10000.00') }) }),
    ]);
    const enterprise = await ok(call({ method: 'PUT', url: '/accounts/C-1', payload: { name: 'Acme AG', segment: 'ENTERPRISE' } }));
    expect(enterprise.creditLimit).toEqual(eur('100000.00'));
    expect(events('CreditStatusChanged')[0]?.payload).toMatchObject({ creditLimit: eur('100000.00'), creditStatus: 'OK' });
  });
});

describe('ERP sales orders and the credit check', () => {
  it('confirms an order within the limit, priced from the product master', async () => {
    await openAccount('C-1');
    const res = await placeOrder('O-1', 'C-1', [{ sku: 'SKU-1', quantity: 3 }]);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ crmOrderId: 'O-1', status: 'CONFIRMED', total: eur('300.00') });
    const [confirmed] = events('SalesOrderConfirmed');
    expect(confirmed).toMatchObject({ aggregate_key: 'O-1', correlation_id: 'O-1' });
    expect(confirmed?.payload).toMatchObject({
      salesOrderNumber: res.json().salesOrderNumber, crmCustomerId: 'C-1', total: eur('300.00'),
      lines: [{ sku: 'SKU-1', quantity: 3, unitPrice: eur('100.00'), lineTotal: eur('300.00') }],
    });
    expect((await ok(call({ method: 'GET', url: '/sales-orders?crmOrderId=O-1' })))[0]).toMatchObject({ salesOrderNumber: res.json().salesOrderNumber });
  });

  it('rejects an order above the limit (CREDIT_LIMIT_EXCEEDED), counting open orders', async () => {
    await openAccount('C-2', 'CONSUMER');
    expect((await placeOrder('O-1', 'C-2', [{ sku: 'SKU-2', quantity: 1 }])).json().status).toBe('CONFIRMED');
    const second = await placeOrder('O-2', 'C-2', [{ sku: 'SKU-1', quantity: 6 }]);
    expect(second.statusCode).toBe(201);
    expect(second.json()).toMatchObject({ status: 'REJECTED', rejection: { reasonCode: 'CREDIT_LIMIT_EXCEEDED' } });
    expect(events('SalesOrderRejected')[0]).toMatchObject({ aggregate_key: 'O-2', payload: expect.objectContaining({ reasonCode: 'CREDIT_LIMIT_EXCEEDED', crmCustomerId: 'C-2' }) });
  });

  it('rejects any order of an account on hold (CREDIT_HOLD)', async () => {
    await openAccount('C-3', 'ENTERPRISE');
    const order = await ok(placeOrder('O-1', 'C-3', [{ sku: 'SKU-2', quantity: 2 }]));
    await ok(call({ method: 'POST', url: '/invoices', payload: { salesOrderNumber: order.salesOrderNumber } }));
    const downgraded = await openAccount('C-3', 'CONSUMER');
    expect(downgraded).toMatchObject({ creditStatus: 'HOLD', balance: eur('3000.00'), creditLimit: eur('2000.00') });
    expect(events('CreditStatusChanged').at(-1)?.payload).toMatchObject({ creditStatus: 'HOLD', previousCreditStatus: 'OK' });
    const res = await ok(placeOrder('O-2', 'C-3', [{ sku: 'SKU-1', quantity: 1 }]));
    expect(res).toMatchObject({ status: 'REJECTED', rejection: { reasonCode: 'CREDIT_HOLD' } });
  });

  it('rejects an order naming an unknown SKU (UNKNOWN_PRODUCT)', async () => {
    await openAccount('C-1');
    const res = await ok(placeOrder('O-1', 'C-1', [{ sku: 'SKU-1', quantity: 1 }, { sku: 'NOPE-9', quantity: 1 }]));
    expect(res).toMatchObject({ status: 'REJECTED', rejection: { reasonCode: 'UNKNOWN_PRODUCT', message: 'unknown SKU: NOPE-9' } });
    expect(events('SalesOrderRejected')[0]?.payload).toMatchObject({ reasonCode: 'UNKNOWN_PRODUCT' });
  });

  it('answers a retriable 404 when the account has not arrived yet', async () => {
    const before = rowCounts(erp.db);
    const res = await placeOrder('O-1', 'C-404', [{ sku: 'SKU-1', quantity: 1 }]);
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'SWB_ERR_ERP_ACCOUNT_NOT_YET', field: 'crmCustomerId', retriable: true });
    expect(rowCounts(erp.db)).toEqual(before);
  });

  it('returns the existing sales order for a repeated CRM order', async () => {
    await openAccount('C-1');
    const first = await ok(placeOrder('O-1', 'C-1', [{ sku: 'SKU-1', quantity: 1 }]));
    const again = await placeOrder('O-1', 'C-1', [{ sku: 'SKU-1', quantity: 1 }]);
    expect(again.statusCode).toBe(200);
    expect(again.json().salesOrderNumber).toBe(first.salesOrderNumber);
    expect(events('SalesOrderConfirmed')).toHaveLength(1);
  });

  it('cancels by CRM order id (SalesOrderCancelled) and refuses to cancel an invoiced order', async () => {
    await openAccount('C-1');
    await ok(placeOrder('O-1', 'C-1', [{ sku: 'SKU-1', quantity: 1 }]));
    const cancelled = await ok(call({ method: 'POST', url: '/sales-order-cancellations', payload: { crmOrderId: 'O-1', reason: 'customer changed mind' } }));
    expect(cancelled.status).toBe('CANCELLED');
    expect(events('SalesOrderCancelled')[0]).toMatchObject({ aggregate_key: 'O-1', payload: expect.objectContaining({ reason: 'customer changed mind' }) });
    const o2 = await ok(placeOrder('O-2', 'C-1', [{ sku: 'SKU-1', quantity: 1 }]));
    await ok(call({ method: 'POST', url: '/invoices', payload: { salesOrderNumber: o2.salesOrderNumber } }));
    const res = await call({ method: 'POST', url: `/sales-orders/${o2.salesOrderNumber}/cancel`, payload: {} });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('SWB_ERR_ERP_SALES_ORDER_NOT_CANCELLABLE');
  });
});

describe('ERP invoices and payments', () => {
  it('issues an invoice on dispatch and settles it with payments', async () => {
    await openAccount('C-1');
    const order = await ok(placeOrder('O-1', 'C-1', [{ sku: 'SKU-1', quantity: 2 }]));
    const issued = await call({ method: 'POST', url: '/invoices', payload: { salesOrderNumber: order.salesOrderNumber, shipmentId: 'SH-1' } });
    expect(issued.statusCode).toBe(201);
    const invoice = issued.json();
    expect(invoice).toMatchObject({ amount: eur('200.00'), outstanding: eur('200.00'), status: 'ISSUED' });
    expect((await call({ method: 'POST', url: '/invoices', payload: { salesOrderNumber: order.salesOrderNumber } })).statusCode).toBe(200);
    expect(events('InvoiceIssued')).toEqual([expect.objectContaining({ aggregate_key: 'O-1', payload: expect.objectContaining({ amount: eur('200.00'), accountBalance: eur('200.00') }) })]);
    expect((await ok(call({ method: 'GET', url: `/invoices?salesOrderNumber=${order.salesOrderNumber}` })))).toHaveLength(1);

    const partial = await ok(call({ method: 'POST', url: '/payments', payload: { invoiceNumber: invoice.invoiceNumber, amount: eur('50.5') } }));
    expect(partial).toMatchObject({ invoiceStatus: 'PARTIALLY_PAID', invoiceOutstanding: eur('149.50') });
    const rest = await ok(call({ method: 'POST', url: '/payments', payload: { invoiceNumber: invoice.invoiceNumber, amount: eur('149.50') } }));
    expect(rest).toMatchObject({ invoiceStatus: 'PAID', invoiceOutstanding: eur('0.00') });
    expect(events('PaymentReceived').at(-1)?.payload).toMatchObject({ invoiceSettled: true, accountBalance: eur('0.00'), crmOrderId: 'O-1' });
    expect(events('CreditStatusChanged').at(-1)?.payload).toMatchObject({ balance: eur('0.00'), creditStatus: 'OK', reason: expect.stringContaining('payment') });
    expect((await ok(call({ method: 'GET', url: '/customers' })))[0]).toMatchObject({ balance: eur('0.00') });
  });
});

describe('ERP inventory and purchasing', () => {
  it('books each stock movement once, valued at standard cost', async () => {
    const move = { movementId: 'M-1', sku: 'SKU-1', warehouseId: 'WH-1', movementType: 'RECEIPT', quantity: 10, reference: 'PO-1' };
    expect((await call({ method: 'POST', url: '/inventory/movements', payload: move })).statusCode).toBe(201);
    expect((await call({ method: 'POST', url: '/inventory/movements', payload: move })).statusCode).toBe(200);
    await ok(call({ method: 'POST', url: '/inventory/movements', payload: { ...move, movementId: 'M-2', movementType: 'RESERVATION', quantity: 4 } }));
    await ok(call({ method: 'POST', url: '/inventory/movements', payload: { ...move, movementId: 'M-3', movementType: 'ISSUE', quantity: -4 } }));
    const position = await ok(call({ method: 'GET', url: '/inventory/SKU-1' }));
    expect(position).toMatchObject({ onHand: 6, reserved: 0, available: 6, value: eur('360.00') });
    expect(position.ledger).toHaveLength(3);
  });

  it('lists the latest 50 movements of a SKU in its position, oldest first, and books every one', async () => {
    const move = { sku: 'SKU-1', warehouseId: 'WH-1', movementType: 'RECEIPT', quantity: 1 };
    for (let i = 1; i <= 55; i++) await ok(call({ method: 'POST', url: '/inventory/movements', payload: { ...move, movementId: `M-${i}` } }));
    const position = await ok(call({ method: 'GET', url: '/inventory/SKU-1' }));
    expect(position).toMatchObject({ onHand: 55 });
    expect((position.ledger as { movementId: string }[]).map((entry) => entry.movementId)).toEqual(Array.from({ length: 50 }, (_, i) => `M-${i + 6}`));
  });

  it('finds an account\'s confirmed orders for the credit check through an index, not by reading every sales order', () => {
    const plan = erp.db.prepare("EXPLAIN QUERY PLAN SELECT coalesce(sum(total_minor), 0) AS n FROM sales_orders WHERE account_number = ? AND status = 'CONFIRMED'").all('A-1') as { detail: string }[];
    expect(plan.map((step) => step.detail).join('; ')).toMatch(/USING (COVERING )?INDEX sales_orders_account_status/);
  });

  it('places a purchase order (PurchaseOrderPlaced) and marks it received on the goods receipt', async () => {
    const po = await ok(call({ method: 'POST', url: '/purchase-orders', payload: { sku: 'SKU-1', quantity: 50, warehouseId: 'WH-1', reorderReference: 'SKU-1@WH-1' } }));
    expect(po).toMatchObject({ status: 'PLACED', unitCost: eur('60.00'), supplierId: 'SUP-1' });
    expect(events('PurchaseOrderPlaced')[0]).toMatchObject({
      aggregate_key: po.purchaseOrderNumber,
      payload: expect.objectContaining({ warehouseId: 'WH-1', lines: [{ sku: 'SKU-1', quantity: 50, unitPrice: eur('60.00'), lineTotal: eur('3000.00') }] }),
    });
    await ok(call({ method: 'POST', url: '/inventory/movements', payload: { movementId: 'M-9', sku: 'SKU-1', warehouseId: 'WH-1', movementType: 'RECEIPT', quantity: 50, reference: po.purchaseOrderNumber } }));
    expect((await ok(call({ method: 'GET', url: '/purchase-orders?sku=SKU-1' })))[0]).toMatchObject({ status: 'RECEIVED' });
  });
});

describe('ERP bad input writes nothing', () => {
  const cases: { name: string; url: string; method?: string; payload: unknown; status: number; code: string; field?: string }[] = [
    { name: 'duplicate product', url: '/products', payload: { sku: 'SKU-1', name: 'Again', unitPrice: eur('1.00') }, status: 409, code: 'SWB_ERR_ERP_PRODUCT_EXISTS', field: 'sku' },
    { name: 'float price', url: '/products', payload: { sku: 'SKU-9', name: 'X', unitPrice: { amount: 1.5, currency: 'EUR' } }, status: 400, code: 'SWB_ERR_VALIDATION_TYPE', field: 'unitPrice.amount' },
    { name: 'negative price', url: '/products', payload: { sku: 'SKU-9', name: 'X', unitPrice: eur('-1.00') }, status: 400, code: 'SWB_ERR_VALIDATION_PATTERN', field: 'unitPrice.amount' },
    { name: 'three decimals', url: '/products', payload: { sku: 'SKU-9', name: 'X', unitPrice: eur('1.005') }, status: 400, code: 'SWB_ERR_VALIDATION_PATTERN', field: 'unitPrice.amount' },
    { name: 'foreign currency', url: '/products', payload: { sku: 'SKU-9', name: 'X', unitPrice: { amount: '1.00', currency: 'USD' } }, status: 400, code: 'SWB_ERR_VALIDATION_NOT_ALLOWED', field: 'unitPrice.currency' },
    { name: 'bad segment', url: '/accounts/C-1', method: 'PUT', payload: { name: 'A', segment: 'VIP' }, status: 400, code: 'SWB_ERR_VALIDATION_NOT_ALLOWED', field: 'segment' },
    { name: 'zero quantity', url: '/sales-orders', payload: { crmOrderId: 'O-1', crmCustomerId: 'C-1', lines: [{ sku: 'SKU-1', quantity: 0 }], shipTo }, status: 400, code: 'SWB_ERR_VALIDATION_RANGE', field: 'lines.0.quantity' },
    { name: 'missing shipTo', url: '/sales-orders', payload: { crmOrderId: 'O-1', crmCustomerId: 'C-1', lines: [{ sku: 'SKU-1', quantity: 1 }] }, status: 400, code: 'SWB_ERR_VALIDATION_REQUIRED', field: 'shipTo' },
    { name: 'bad country', url: '/sales-orders', payload: { crmOrderId: 'O-1', crmCustomerId: 'C-1', lines: [{ sku: 'SKU-1', quantity: 1 }], shipTo: { ...shipTo, country: 'de' } }, status: 400, code: 'SWB_ERR_VALIDATION_NOT_ALLOWED', field: 'shipTo.country' },
    { name: 'unknown invoice', url: '/payments', payload: { invoiceNumber: 'INV-404', amount: eur('1.00') }, status: 404, code: 'SWB_ERR_ERP_INVOICE_NOT_FOUND', field: 'invoiceNumber' },
    { name: 'overpayment', url: '/payments', payload: { invoiceNumber: 'INV-1', amount: eur('1000.00') }, status: 422, code: 'SWB_ERR_ERP_PAYMENT_EXCEEDS_OUTSTANDING', field: 'amount.amount' },
    { name: 'zero payment', url: '/payments', payload: { invoiceNumber: 'INV-1', amount: eur('0.00') }, status: 422, code: 'SWB_ERR_ERP_PAYMENT_NOT_POSITIVE', field: 'amount.amount' },
    { name: 'payment in another currency', url: '/payments', payload: { invoiceNumber: 'INV-1', amount: { amount: '1.00', currency: 'USD' } }, status: 400, code: 'SWB_ERR_VALIDATION_NOT_ALLOWED', field: 'amount.currency' },
    { name: 'invoice for unknown order', url: '/invoices', payload: { salesOrderNumber: 'SO-404' }, status: 404, code: 'SWB_ERR_ERP_SALES_ORDER_NOT_YET', field: 'salesOrderNumber' },
    { name: 'zero movement', url: '/inventory/movements', payload: { movementId: 'M-1', sku: 'SKU-1', warehouseId: 'WH-1', movementType: 'RECEIPT', quantity: 0 }, status: 400, code: 'SWB_ERR_VALIDATION_INVALID', field: 'quantity' },
    { name: 'movement of unknown product', url: '/inventory/movements', payload: { movementId: 'M-1', sku: 'SKU-404', warehouseId: 'WH-1', movementType: 'RECEIPT', quantity: 1 }, status: 404, code: 'SWB_ERR_ERP_PRODUCT_NOT_YET', field: 'sku' },
    { name: 'negative purchase quantity', url: '/purchase-orders', payload: { sku: 'SKU-1', quantity: -5, warehouseId: 'WH-1' }, status: 400, code: 'SWB_ERR_VALIDATION_RANGE', field: 'quantity' },
    { name: 'unknown field', url: '/purchase-orders', payload: { sku: 'SKU-1', quantity: 5, warehouseId: 'WH-1', urgent: true }, status: 400, code: 'SWB_ERR_VALIDATION_UNKNOWN_FIELD', field: 'urgent' },
    { name: 'empty price change', url: '/products/SKU-1', method: 'PATCH', payload: {}, status: 400, code: 'SWB_ERR_VALIDATION_REQUIRED' },
  ];

  it.each(cases)('$name → $status $code', async (c) => {
    await openAccount('C-1');
    const order = await ok(placeOrder('O-1', 'C-1', [{ sku: 'SKU-1', quantity: 2 }]));
    await ok(call({ method: 'POST', url: '/invoices', payload: { salesOrderNumber: order.salesOrderNumber } }));
    const before = rowCounts(erp.db);
    const res = await call({ method: c.method ?? 'POST', url: c.url, payload: c.payload });
    expect(res.statusCode).toBe(c.status);
    expect(res.json().error).toMatchObject({ code: c.code, ...(c.field ? { field: c.field } : {}) });
    expect(rowCounts(erp.db)).toEqual(before);
  });
});

describe('ERP idempotency', () => {
  it('runs a keyed command once and refuses the key for another body', async () => {
    await openAccount('C-1');
    const headers = { 'idempotency-key': 'crm-order-to-erp:evt-1' };
    const first = await placeOrder('O-1', 'C-1', [{ sku: 'SKU-1', quantity: 1 }], headers);
    const again = await placeOrder('O-1', 'C-1', [{ sku: 'SKU-1', quantity: 1 }], headers);
    expect(again.statusCode).toBe(first.statusCode);
    expect(again.json()).toEqual(first.json());
    expect(again.headers['idempotent-replayed']).toBe('true');
    const before = rowCounts(erp.db);
    const reused = await placeOrder('O-2', 'C-1', [{ sku: 'SKU-1', quantity: 1 }], headers);
    expect(reused.statusCode).toBe(422);
    expect(reused.json().error.code).toBe('SWB_ERR_IDEMPOTENCY_KEY_REUSED');
    expect(rowCounts(erp.db)).toEqual(before);
  });
});
