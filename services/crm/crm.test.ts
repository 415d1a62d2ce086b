import type { FastifyInstance } from 'fastify';
import { httpClient, type TestRequest, type TestResponse } from '../../tests/kit/app-client.js';
import { rowCounts } from '../../tests/kit/row-counts.js';
import type { ServiceApp } from '../../hub/service/index.js';
import { createCrmApp } from './app.js';

const address = { line1: 'Hauptstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE' };
const newCustomer = { name: 'Acme GmbH', email: 'buyer@acme.example', segment: 'SMB', billingAddress: address };

let crm: ServiceApp;
let app: FastifyInstance;
let call: (request: TestRequest) => Promise<TestResponse>;

beforeEach(async () => {
  crm = await createCrmApp({ dbPath: ':memory:', docsUi: false });
  app = crm.app;
  call = await httpClient(app);
});
afterEach(async () => {
  await app.close();
});

async function createCustomer(overrides: Record<string, unknown> = {}): Promise<{ id: string }> {
  const res = await call({ method: 'POST', url: '/customers', payload: { ...newCustomer, ...overrides } });
  expect(res.statusCode).toBe(201);
  return res.json();
}

interface OutboxEvent { event_type: string; aggregate_key: string; payload: string; correlation_id: string }
function outboxEvents(): OutboxEvent[] {
  return crm.db.prepare('SELECT event_type, aggregate_key, payload, correlation_id FROM outbox ORDER BY seq').all() as OutboxEvent[];
}

describe('CRM customers', () => {
  it('creates a customer and writes CustomerCreated in the same transaction', async () => {
    const customer = await createCustomer({ phone: '+49 30 1234567' });
    expect(customer).toMatchObject({ id: 'C-1', name: 'Acme GmbH', status: 'ACTIVE', billingAddress: { ...address, line2: null }, shippingAddress: null });
    const [event] = outboxEvents();
    expect(event).toMatchObject({ event_type: 'CustomerCreated', aggregate_key: 'C-1', correlation_id: 'C-1' });
    expect(JSON.parse(event!.payload)).toMatchObject({ customerId: 'C-1', email: 'buyer@acme.example', segment: 'SMB', phone: '+49 30 1234567' });
  });

  it('updates and deactivates a customer, each with its event', async () => {
    const { id } = await createCustomer();
    const patched = await call({ method: 'PATCH', url: `/customers/${id}`, payload: { segment: 'ENTERPRISE' } });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ segment: 'ENTERPRISE', name: 'Acme GmbH' });
    const deactivated = await call({ method: 'POST', url: `/customers/${id}/deactivate`, payload: { reason: 'closed' } });
    expect(deactivated.json()).toMatchObject({ status: 'INACTIVE' });
    expect(outboxEvents().map((e) => e.event_type)).toEqual(['CustomerCreated', 'CustomerUpdated', 'CustomerDeactivated']);
    const order = await call({ method: 'POST', url: '/orders', payload: { customerId: id, lines: [{ sku: 'SKU-1', quantity: 1 }] } });
    expect(order.statusCode).toBe(422);
    expect(order.json().error).toMatchObject({ code: 'SWB_ERR_CRM_CUSTOMER_INACTIVE', field: 'customerId' });
  });

  it('shows the 360 view with the ERP account, open orders and invoices', async () => {
    const { id } = await createCustomer();
    const account = await call({
      method: 'PUT', url: `/customers/${id}/erp-account`,
      payload: { accountNumber: 'A-100001', creditStatus: 'OK', creditLimit: { amount: '10000.00', currency: 'EUR' }, balance: { amount: '0', currency: 'EUR' } },
    });
    expect(account.statusCode).toBe(200);
    const placed = await call({ method: 'POST', url: '/orders', payload: { customerId: id, lines: [{ sku: 'SKU-1', quantity: 2 }] } });
    const orderId = placed.json().id as string;
    await call({ method: 'PUT', url: `/orders/${orderId}/invoice`, payload: { invoiceNumber: 'INV-1', status: 'ISSUED', amount: { amount: '25.00', currency: 'EUR' } } });
    await call({ method: 'PUT', url: `/customers/${id}/erp-account`, payload: { accountNumber: 'A-100001', creditStatus: 'OK', balance: { amount: '25.00', currency: 'EUR' } } });
    const view = (await call({ method: 'GET', url: `/customers/${id}` })).json();
    expect(view).toMatchObject({
      erpAccountNumber: 'A-100001', creditStatus: 'OK', balance: { amount: '25.00', currency: 'EUR' }, creditLimit: { amount: '10000.00', currency: 'EUR' },
      orders: [{ id: orderId, status: 'PLACED' }],
      invoices: [{ orderId, number: 'INV-1', status: 'ISSUED', amount: { amount: '25.00', currency: 'EUR' } }],
    });
  });

  it('refuses a second customer with the same email', async () => {
    await createCustomer();
    const res = await call({ method: 'POST', url: '/customers', payload: { ...newCustomer, email: 'BUYER@acme.example' } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'SWB_ERR_CRM_CUSTOMER_EMAIL_TAKEN', field: 'email' });
  });
});

describe('CRM orders', () => {
  it('places an order (OrderPlaced) and follows it through the timeline', async () => {
    const { id: customerId } = await createCustomer({ shippingAddress: { ...address, city: 'Hamburg', postalCode: '20095' } });
    const placed = await call({ method: 'POST', url: '/orders', payload: { customerId, lines: [{ sku: 'SKU-1', quantity: 3 }] } });
    expect(placed.statusCode).toBe(201);
    const orderId = placed.json().id as string;
    expect(placed.json()).toMatchObject({ status: 'PLACED', shipTo: { city: 'Hamburg' } });
    const placedEvent = outboxEvents().find((e) => e.event_type === 'OrderPlaced');
    expect(placedEvent).toMatchObject({ aggregate_key: orderId, correlation_id: orderId });
    expect(JSON.parse(placedEvent!.payload)).toMatchObject({ orderId, customerId, lines: [{ sku: 'SKU-1', quantity: 3 }], shipTo: { city: 'Hamburg' } });

    const steps = [
      { url: `/orders/${orderId}/confirm`, payload: { erpOrderNumber: 'SO-1' } },
      { url: `/orders/${orderId}/ship`, payload: { carrier: 'DHL', trackingNumber: 'JD0001' } },
      { url: `/orders/${orderId}/deliver`, payload: {} },
    ];
    for (const step of steps) expect((await call({ method: 'POST', ...step })).statusCode).toBe(200);
    await call({ method: 'PUT', url: `/orders/${orderId}/invoice`, payload: { invoiceNumber: 'INV-1', status: 'PAID', amount: { amount: '30.00', currency: 'EUR' } } });
    const order = (await call({ method: 'GET', url: `/orders/${orderId}` })).json();
    expect(order).toMatchObject({
      status: 'DELIVERED', erpOrderNumber: 'SO-1', shipment: { carrier: 'DHL', trackingNumber: 'JD0001' },
      invoice: { number: 'INV-1', status: 'PAID', outstanding: { amount: '0.00', currency: 'EUR' } },
    });
    expect(order.timeline.map((t: { status: string }) => t.status)).toEqual(['PLACED', 'CONFIRMED', 'SHIPPED', 'DELIVERED', 'PAID']);
  });

  it('records a rejection with its reason', async () => {
    const { id: customerId } = await createCustomer();
    const orderId = (await call({ method: 'POST', url: '/orders', payload: { customerId, lines: [{ sku: 'SKU-1', quantity: 1 }] } })).json().id;
    const res = await call({ method: 'POST', url: `/orders/${orderId}/reject`, payload: { reasonCode: 'CREDIT_LIMIT_EXCEEDED', message: 'over limit' } });
    expect(res.json()).toMatchObject({ status: 'REJECTED', rejection: { reasonCode: 'CREDIT_LIMIT_EXCEEDED', message: 'over limit' } });
  });

  it('cancels a placed order once (OrderCancelled) and refuses to cancel a shipped one', async () => {
    const { id: customerId } = await createCustomer();
    const a = (await call({ method: 'POST', url: '/orders', payload: { customerId, lines: [{ sku: 'SKU-1', quantity: 1 }] } })).json().id;
    expect((await call({ method: 'POST', url: `/orders/${a}/cancel`, payload: { reason: 'changed mind' } })).json()).toMatchObject({ status: 'CANCELLED' });
    expect((await call({ method: 'POST', url: `/orders/${a}/cancel`, payload: {} })).statusCode).toBe(200);
    expect(outboxEvents().filter((e) => e.event_type === 'OrderCancelled')).toHaveLength(1);

    const b = (await call({ method: 'POST', url: '/orders', payload: { customerId, lines: [{ sku: 'SKU-1', quantity: 1 }] } })).json().id;
    await call({ method: 'POST', url: `/orders/${b}/ship`, payload: { carrier: 'UPS', trackingNumber: '1Z' } });
    const res = await call({ method: 'POST', url: `/orders/${b}/cancel`, payload: {} });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'SWB_ERR_CRM_ORDER_NOT_CANCELLABLE', field: 'id' });
  });
});

describe('CRM catalogue', () => {
  it('keeps price from the ERP and availability from the SCM, in either order', async () => {
    expect((await call({ method: 'PUT', url: '/products/SKU-9/availability', payload: { available: 5 } })).statusCode).toBe(200);
    const put = await call({ method: 'PUT', url: '/products/SKU-9', payload: { name: 'Widget', unitPrice: { amount: '9.90', currency: 'EUR' } } });
    expect(put.statusCode).toBe(200);
    expect((await call({ method: 'GET', url: '/products' })).json()).toEqual([
      expect.objectContaining({ sku: 'SKU-9', name: 'Widget', unitPrice: { amount: '9.90', currency: 'EUR' }, available: 5 }),
    ]);
  });
});

describe('CRM bad input', () => {
  const cases: { name: string; method?: 'POST' | 'PUT' | 'PATCH'; url?: string; payload?: unknown; raw?: string; contentType?: string; status: number; code: string; field?: string }[] = [
    { name: 'malformed JSON', raw: '{"name": "Acme",', status: 400, code: 'SWB_ERR_HTTP_MALFORMED_JSON' },
    { name: 'missing field', payload: { ...newCustomer, name: undefined }, status: 400, code: 'SWB_ERR_VALIDATION_REQUIRED', field: 'name' },
    { name: 'unknown field', payload: { ...newCustomer, vip: true }, status: 400, code: 'SWB_ERR_VALIDATION_UNKNOWN_FIELD', field: 'vip' },
    { name: 'unknown nested field', payload: { ...newCustomer, billingAddress: { ...address, state: 'BE' } }, status: 400, code: 'SWB_ERR_VALIDATION_UNKNOWN_FIELD', field: 'billingAddress.state' },
    { name: 'wrong type', payload: { ...newCustomer, name: 42 }, status: 400, code: 'SWB_ERR_VALIDATION_TYPE', field: 'name' },
    { name: 'bad email', payload: { ...newCustomer, email: 'not-an-email' }, status: 400, code: 'SWB_ERR_VALIDATION_FORMAT', field: 'email' },
    { name: 'bad country', payload: { ...newCustomer, billingAddress: { ...address, country: 'XX' } }, status: 400, code: 'SWB_ERR_VALIDATION_NOT_ALLOWED', field: 'billingAddress.country' },
    { name: 'bad segment', payload: { ...newCustomer, segment: 'VIP' }, status: 400, code: 'SWB_ERR_VALIDATION_NOT_ALLOWED', field: 'segment' },
    { name: 'blank name', payload: { ...newCustomer, name: '   ' }, status: 400, code: 'SWB_ERR_VALIDATION_PATTERN', field: 'name' },
    { name: 'wrong content type', raw: 'name=Acme', contentType: 'text/plain', status: 415, code: 'SWB_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE' },
    { name: 'form content type', raw: 'name=Acme', contentType: 'application/x-www-form-urlencoded', status: 415, code: 'SWB_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE' },
    { name: 'oversize body', payload: { ...newCustomer, name: 'x'.repeat(300 * 1024) }, status: 413, code: 'SWB_ERR_HTTP_BODY_TOO_LARGE' },
    { name: 'empty JSON body', raw: '', status: 400, code: 'SWB_ERR_HTTP_EMPTY_BODY' },
    { name: 'JSON array body', payload: [newCustomer], status: 400, code: 'SWB_ERR_VALIDATION_TYPE' },
    { name: 'zero quantity', url: '/orders', payload: { customerId: 'C-1', lines: [{ sku: 'SKU-1', quantity: 0 }] }, status: 400, code: 'SWB_ERR_VALIDATION_RANGE', field: 'lines.0.quantity' },
    { name: 'negative quantity', url: '/orders', payload: { customerId: 'C-1', lines: [{ sku: 'SKU-1', quantity: -2 }] }, status: 400, code: 'SWB_ERR_VALIDATION_RANGE', field: 'lines.0.quantity' },
    { name: 'fractional quantity', url: '/orders', payload: { customerId: 'C-1', lines: [{ sku: 'SKU-1', quantity: 1.5 }] }, status: 400, code: 'SWB_ERR_VALIDATION_TYPE', field: 'lines.0.quantity' },
    { name: 'string quantity', url: '/orders', payload: { customerId: 'C-1', lines: [{ sku: 'SKU-1', quantity: '2' }] }, status: 400, code: 'SWB_ERR_VALIDATION_TYPE', field: 'lines.0.quantity' },
    { name: 'no lines', url: '/orders', payload: { customerId: 'C-1', lines: [] }, status: 400, code: 'SWB_ERR_VALIDATION_LENGTH', field: 'lines' },
    { name: 'duplicate SKU', url: '/orders', payload: { customerId: 'C-1', lines: [{ sku: 'SKU-1', quantity: 1 }, { sku: 'SKU-1', quantity: 2 }] }, status: 400, code: 'SWB_ERR_CRM_ORDER_DUPLICATE_SKU', field: 'lines.1.sku' },
    { name: 'unknown customer', url: '/orders', payload: { customerId: 'C-999', lines: [{ sku: 'SKU-1', quantity: 1 }] }, status: 404, code: 'SWB_ERR_CRM_CUSTOMER_NOT_FOUND', field: 'customerId' },
    { name: 'unknown order', url: '/orders/O-999/cancel', payload: {}, status: 404, code: 'SWB_ERR_CRM_ORDER_NOT_FOUND', field: 'id' },
    { name: 'unknown customer patch', method: 'PATCH', url: '/customers/C-999', payload: { name: 'x' }, status: 404, code: 'SWB_ERR_CRM_CUSTOMER_NOT_FOUND', field: 'id' },
    { name: 'empty patch', method: 'PATCH', url: '/customers/C-1', payload: {}, status: 400, code: 'SWB_ERR_VALIDATION_REQUIRED' },
    { name: 'float price', method: 'PUT', url: '/products/SKU-1', payload: { name: 'W', unitPrice: { amount: 9.9, currency: 'EUR' } }, status: 400, code: 'SWB_ERR_VALIDATION_TYPE', field: 'unitPrice.amount' },
    { name: 'negative availability', method: 'PUT', url: '/products/SKU-1/availability', payload: { available: -1 }, status: 400, code: 'SWB_ERR_VALIDATION_RANGE', field: 'available' },
  ];

  it.each(cases)('$name → $status $code', async (c) => {
    await createCustomer();
    const before = rowCounts(crm.db);
    const res = await call({
      method: c.method ?? 'POST', url: c.url ?? '/customers',
      headers: { 'content-type': c.contentType ?? 'application/json' },
      payload: c.raw ?? JSON.stringify(c.payload),
    });
    expect(res.statusCode).toBe(c.status);
    const body = res.json();
    expect(body.error.code).toBe(c.code);
    expect(typeof body.error.message).toBe('string');
    if (c.field) expect(body.error.field).toBe(c.field);
    expect(rowCounts(crm.db)).toEqual(before);
  });

  it('answers an unknown route with a JSON 404', async () => {
    const res = await call({ method: 'GET', url: '/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('SWB_ERR_HTTP_ROUTE_NOT_FOUND');
  });
});

describe('CRM idempotency', () => {
  it('answers a repeated command with the first result and refuses a reused key', async () => {
    const headers = { 'idempotency-key': 'test:1' };
    const first = await call({ method: 'POST', url: '/customers', headers, payload: newCustomer });
    const again = await call({ method: 'POST', url: '/customers', headers, payload: newCustomer });
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(outboxEvents()).toHaveLength(1);
    const reused = await call({ method: 'POST', url: '/customers', headers, payload: { ...newCustomer, email: 'other@acme.example' } });
    expect(reused.statusCode).toBe(422);
    expect(reused.json().error).toMatchObject({ code: 'SWB_ERR_IDEMPOTENCY_KEY_REUSED', field: 'Idempotency-Key' });
    expect((await call({ method: 'GET', url: '/customers' })).json()).toHaveLength(1);
  });
});

describe('CRM service surface', () => {
  it('serves health, readiness and OpenAPI docs', async () => {
    expect((await call({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await call({ method: 'GET', url: '/readyz' })).json()).toMatchObject({ status: 'ready' });
    const spec = (await call({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/customers', '/orders/{id}', '/products/{sku}/availability']));
  });
});
