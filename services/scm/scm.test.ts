import { httpClient, type TestRequest, type TestResponse } from '../../tests/kit/app-client.js';
import { rowCounts } from '../../tests/kit/row-counts.js';
import type { ServiceApp } from '../../hub/service/index.js';
import { createScmApp } from './app.js';

const address = { line1: 'Hafenstr. 5', city: 'Hamburg', postalCode: '20095', country: 'DE' };

let scm: ServiceApp;
let call: (request: TestRequest) => Promise<TestResponse>;

beforeEach(async () => {
  scm = await createScmApp({ dbPath: ':memory:', docsUi: false });
  call = await httpClient(scm.app);
  await ok(call({ method: 'POST', url: '/warehouses', payload: { id: 'WH-1', name: 'Hamburg', address } }));
  await ok(call({ method: 'PUT', url: '/items/SKU-1', payload: { name: 'Widget', reorderPoint: 5, reorderQuantity: 50 } }));
  await ok(call({ method: 'PUT', url: '/items/SKU-2', payload: { name: 'Gadget' } }));
});
afterEach(async () => {
  await scm.app.close();
});

async function ok(response: Promise<TestResponse>): Promise<ReturnType<TestResponse['json']>> {
  const res = await response;
  if (res.statusCode >= 300) throw new Error(`${res.statusCode} ${res.body}`);
  return res.json();
}

function events(eventType?: string): { event_type: string; aggregate_key: string; correlation_id: string; payload: Record<string, unknown> }[] {
  const rows = scm.db.prepare('SELECT event_type, aggregate_key, correlation_id, payload FROM outbox ORDER BY seq').all() as { event_type: string; aggregate_key: string; correlation_id: string; payload: string }[];
  return rows.filter((r) => !eventType || r.event_type === eventType).map((r) => ({ ...r, payload: JSON.parse(r.payload) as Record<string, unknown> }));
}

const receive = (sku: string, quantity: number, reference?: string) =>
  ok(call({ method: 'POST', url: '/stock/receipts', payload: { sku, warehouseId: 'WH-1', quantity, ...(reference ? { reference } : {}) } }));
const fulfil = (salesOrderNumber: string, lines: { sku: string; quantity: number }[], extra: Record<string, unknown> = { shipTo: address }) =>
  call({ method: 'POST', url: '/fulfilments', payload: { salesOrderNumber, crmOrderId: `O-${salesOrderNumber}`, crmCustomerId: 'C-1', lines, ...extra } });

describe('SCM stock', () => {
  it('receives goods (StockMoved RECEIPT) and reports stock per warehouse', async () => {
    await receive('SKU-1', 20, 'DN-1');
    expect(await ok(call({ method: 'GET', url: '/stock/SKU-1' }))).toEqual({
      sku: 'SKU-1', onHand: 20, reserved: 0, available: 20, byWarehouse: [{ warehouseId: 'WH-1', onHand: 20, reserved: 0, available: 20 }],
    });
    expect(events('StockMoved')[0]).toMatchObject({
      aggregate_key: 'SKU-1', payload: expect.objectContaining({ movementType: 'RECEIPT', quantity: 20, onHand: 20, reserved: 0, totalAvailable: 20, reference: 'DN-1', warehouseId: 'WH-1' }),
    });
  });
});

describe('SCM fulfilment', () => {
  it('reserves stock for a confirmed order, dispatches and delivers it', async () => {
    await receive('SKU-1', 20);
    const created = await fulfil('SO-1', [{ sku: 'SKU-1', quantity: 8 }]);
    expect(created.statusCode).toBe(201);
    const shipment = created.json();
    expect(shipment).toMatchObject({ status: 'READY', warehouseId: 'WH-1', lines: [{ sku: 'SKU-1', quantity: 8, reserved: 8 }] });
    expect(events('ShipmentCreated')[0]).toMatchObject({ aggregate_key: 'O-SO-1', correlation_id: 'O-SO-1' });
    expect(events('StockMoved').at(-1)?.payload).toMatchObject({ movementType: 'RESERVATION', quantity: 8, reserved: 8, totalAvailable: 12, reference: 'SO-1' });

    const dispatched = await ok(call({ method: 'POST', url: `/shipments/${shipment.id}/dispatch`, payload: { carrier: 'DHL', trackingNumber: 'JD01' } }));
    expect(dispatched).toMatchObject({ status: 'DISPATCHED', carrier: 'DHL', trackingNumber: 'JD01' });
    expect(events('StockMoved').at(-1)?.payload).toMatchObject({ movementType: 'ISSUE', quantity: -8, onHand: 12, reserved: 0, totalAvailable: 12 });
    expect(events('ShipmentDispatched')[0]?.payload).toMatchObject({ salesOrderNumber: 'SO-1', crmOrderId: 'O-SO-1', carrier: 'DHL', trackingNumber: 'JD01' });
    const delivered = await ok(call({ method: 'POST', url: `/shipments/${shipment.id}/deliver`, payload: { receivedBy: 'Gate 3' } }));
    expect(delivered.status).toBe('DELIVERED');
    expect(events('ShipmentDelivered')[0]?.payload).toMatchObject({ carrier: 'DHL', trackingNumber: 'JD01', receivedBy: 'Gate 3' });
    expect(await ok(call({ method: 'GET', url: '/shipments?salesOrderNumber=SO-1' }))).toEqual([expect.objectContaining({ id: shipment.id, status: 'DELIVERED', salesOrderNumber: 'SO-1' })]);
  });

  it('backorders a shortage (StockShortage) and allocates it when stock arrives', async () => {
    await receive('SKU-2', 3);
    const shipment = (await fulfil('SO-1', [{ sku: 'SKU-2', quantity: 10 }])).json();
    expect(shipment).toMatchObject({ status: 'BACKORDERED', lines: [{ sku: 'SKU-2', quantity: 10, reserved: 3 }] });
    expect(events('StockShortage')[0]?.payload).toMatchObject({ sku: 'SKU-2', requested: 10, available: 3, salesOrderNumber: 'SO-1', crmOrderId: 'O-SO-1' });
    const notReady = await call({ method: 'POST', url: `/shipments/${shipment.id}/dispatch`, payload: { carrier: 'DHL', trackingNumber: 'X' } });
    expect(notReady.statusCode).toBe(409);
    expect(notReady.json().error.code).toBe('SWB_ERR_SCM_SHIPMENT_NOT_READY');

    await receive('SKU-2', 10, 'PO-1');
    expect(await ok(call({ method: 'GET', url: `/shipments/${shipment.id}` }))).toMatchObject({ status: 'READY', lines: [{ reserved: 10 }] });
    const reservations = events('StockMoved').filter((e) => e.payload.movementType === 'RESERVATION');
    expect(reservations.map((e) => e.payload.quantity)).toEqual([3, 7]);
    expect(reservations[1]).toMatchObject({ correlation_id: 'O-SO-1', payload: expect.objectContaining({ reference: 'SO-1' }) });
    expect(await ok(call({ method: 'GET', url: '/stock/SKU-2' }))).toMatchObject({ onHand: 13, reserved: 10, available: 3 });
  });

  it('uses the consignee address when the order has no ship-to, and waits (retriable 404) for an unknown consignee', async () => {
    await receive('SKU-1', 5);
    const missing = await fulfil('SO-1', [{ sku: 'SKU-1', quantity: 1 }], {});
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toMatchObject({ code: 'SWB_ERR_SCM_CONSIGNEE_NOT_FOUND', retriable: true });
    expect((await call({ method: 'PUT', url: '/consignees/C-1', payload: { name: 'Acme', address } })).statusCode).toBe(201);
    expect((await call({ method: 'PUT', url: '/consignees/C-1', payload: { name: 'Acme GmbH', address } })).statusCode).toBe(200);
    expect((await ok(fulfil('SO-1', [{ sku: 'SKU-1', quantity: 1 }], {}))).shipTo).toMatchObject({ city: 'Hamburg' });
  });

  it('returns the existing shipment for a repeated sales order, and releases reservations on cancel', async () => {
    await receive('SKU-1', 20);
    const first = await ok(fulfil('SO-1', [{ sku: 'SKU-1', quantity: 4 }]));
    const again = await fulfil('SO-1', [{ sku: 'SKU-1', quantity: 4 }]);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.id);
    expect(events('ShipmentCreated')).toHaveLength(1);
    await ok(call({ method: 'POST', url: `/shipments/${first.id}/cancel`, payload: {} }));
    expect(events('StockMoved').at(-1)?.payload).toMatchObject({ movementType: 'RELEASE', quantity: -4, reserved: 0 });
    expect(await ok(call({ method: 'GET', url: '/stock/SKU-1' }))).toMatchObject({ reserved: 0, available: 20 });
  });
});

describe('SCM reorder points', () => {
  it('raises ReorderPointReached once per crossing', async () => {
    await receive('SKU-1', 10);
    await ok(fulfil('SO-1', [{ sku: 'SKU-1', quantity: 4 }]));
    expect(events('ReorderPointReached')).toHaveLength(0);
    await ok(fulfil('SO-2', [{ sku: 'SKU-1', quantity: 2 }]));
    await ok(fulfil('SO-3', [{ sku: 'SKU-1', quantity: 1 }]));
    expect(events('ReorderPointReached').map((e) => e.payload)).toEqual([
      expect.objectContaining({ sku: 'SKU-1', warehouseId: 'WH-1', available: 4, reorderPoint: 5, reorderQuantity: 50 }),
    ]);
    await receive('SKU-1', 50, 'PO-1');
    await ok(fulfil('SO-4', [{ sku: 'SKU-1', quantity: 50 }]));
    expect(events('ReorderPointReached')).toHaveLength(2);
  });

  it('expects the receipt of a purchase order and closes it on arrival', async () => {
    const expected = await call({ method: 'POST', url: '/expected-receipts', payload: { purchaseOrderNumber: 'PO-7', sku: 'SKU-1', warehouseId: 'WH-1', quantity: 50 } });
    expect(expected.statusCode).toBe(201);
    expect((await call({ method: 'POST', url: '/expected-receipts', payload: { purchaseOrderNumber: 'PO-7', sku: 'SKU-1', warehouseId: 'WH-1', quantity: 50 } })).statusCode).toBe(200);
    await receive('SKU-1', 50, 'PO-7');
    expect(await ok(call({ method: 'GET', url: '/expected-receipts?sku=SKU-1' }))).toEqual([expect.objectContaining({ purchaseOrderNumber: 'PO-7', status: 'RECEIVED' })]);
  });
});

describe('SCM bad input writes nothing', () => {
  const receipt = { sku: 'SKU-1', warehouseId: 'WH-1', quantity: 5 };
  const cases: { name: string; url: string; method?: string; payload: unknown; status: number; code: string; field?: string }[] = [
    { name: 'zero quantity', url: '/stock/receipts', payload: { ...receipt, quantity: 0 }, status: 400, code: 'SWB_ERR_VALIDATION_RANGE', field: 'quantity' },
    { name: 'negative quantity', url: '/stock/receipts', payload: { ...receipt, quantity: -3 }, status: 400, code: 'SWB_ERR_VALIDATION_RANGE', field: 'quantity' },
    { name: 'unknown warehouse', url: '/stock/receipts', payload: { ...receipt, warehouseId: 'WH-9' }, status: 404, code: 'SWB_ERR_SCM_WAREHOUSE_NOT_FOUND', field: 'warehouseId' },
    { name: 'unknown item', url: '/stock/receipts', payload: { ...receipt, sku: 'SKU-404' }, status: 404, code: 'SWB_ERR_SCM_ITEM_NOT_FOUND', field: 'sku' },
    { name: 'duplicate warehouse', url: '/warehouses', payload: { id: 'WH-1', name: 'Again' }, status: 409, code: 'SWB_ERR_SCM_WAREHOUSE_EXISTS', field: 'id' },
    { name: 'bad country', url: '/warehouses', payload: { id: 'WH-2', name: 'X', address: { ...address, country: 'Germany' } }, status: 400, code: 'SWB_ERR_VALIDATION_NOT_ALLOWED', field: 'address.country' },
    { name: 'negative reorder point', url: '/items/SKU-1', method: 'PUT', payload: { reorderPoint: -1 }, status: 400, code: 'SWB_ERR_VALIDATION_RANGE', field: 'reorderPoint' },
    { name: 'unknown item in fulfilment', url: '/fulfilments', payload: { salesOrderNumber: 'SO-9', crmOrderId: 'O-9', crmCustomerId: 'C-1', lines: [{ sku: 'SKU-404', quantity: 1 }], shipTo: address }, status: 404, code: 'SWB_ERR_SCM_ITEM_NOT_FOUND', field: 'lines.0.sku' },
    { name: 'missing lines', url: '/fulfilments', payload: { salesOrderNumber: 'SO-9', crmOrderId: 'O-9', crmCustomerId: 'C-1', shipTo: address }, status: 400, code: 'SWB_ERR_VALIDATION_REQUIRED', field: 'lines' },
    { name: 'unknown shipment', url: '/shipments/SH-404/dispatch', payload: { carrier: 'DHL', trackingNumber: '1' }, status: 404, code: 'SWB_ERR_SCM_SHIPMENT_NOT_FOUND', field: 'id' },
    { name: 'missing tracking number', url: '/shipments/SH-1/dispatch', payload: { carrier: 'DHL' }, status: 400, code: 'SWB_ERR_VALIDATION_REQUIRED', field: 'trackingNumber' },
    { name: 'deliver before dispatch', url: '/shipments/SH-1/deliver', payload: {}, status: 409, code: 'SWB_ERR_SCM_SHIPMENT_NOT_DISPATCHED', field: 'id' },
    { name: 'conflicting expected receipt', url: '/expected-receipts', payload: { purchaseOrderNumber: 'PO-1', sku: 'SKU-1', warehouseId: 'WH-1', quantity: 99 }, status: 409, code: 'SWB_ERR_SCM_EXPECTED_RECEIPT_CONFLICT', field: 'purchaseOrderNumber' },
  ];

  it.each(cases)('$name → $status $code', async (c) => {
    await receive('SKU-1', 10);
    await ok(fulfil('SO-1', [{ sku: 'SKU-1', quantity: 2 }]));
    await ok(call({ method: 'POST', url: '/expected-receipts', payload: { purchaseOrderNumber: 'PO-1', sku: 'SKU-1', warehouseId: 'WH-1', quantity: 10 } }));
    const before = rowCounts(scm.db);
    const res = await call({ method: c.method ?? 'POST', url: c.url, payload: c.payload });
    expect(res.statusCode).toBe(c.status);
    expect(res.json().error).toMatchObject({ code: c.code, ...(c.field ? { field: c.field } : {}) });
    expect(rowCounts(scm.db)).toEqual(before);
  });
});

describe('SCM idempotency', () => {
  it('applies a keyed receipt once', async () => {
    const headers = { 'idempotency-key': 'manual:receipt-1' };
    const first = await call({ method: 'POST', url: '/stock/receipts', headers, payload: { sku: 'SKU-1', warehouseId: 'WH-1', quantity: 5 } });
    const again = await call({ method: 'POST', url: '/stock/receipts', headers, payload: { sku: 'SKU-1', warehouseId: 'WH-1', quantity: 5 } });
    expect(again.json()).toEqual(first.json());
    expect((await ok(call({ method: 'GET', url: '/stock/SKU-1' }))).onHand).toBe(5);
    const reused = await call({ method: 'POST', url: '/stock/receipts', headers, payload: { sku: 'SKU-1', warehouseId: 'WH-1', quantity: 6 } });
    expect(reused.statusCode).toBe(422);
  });
});
