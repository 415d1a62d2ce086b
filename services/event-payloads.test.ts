import { recordFullName } from '../catalogue/index.js';
import { eventSchema } from '../schemas/schema-catalog.js';
import type { Outbox } from '../hub/service/index.js';
import { httpClient, type TestRequest, type TestResponse } from '../tests/kit/app-client.js';
import { createCrmApp } from './crm/app.js';
import { createErpApp } from './erp/app.js';
import { createScmApp } from './scm/app.js';

type Call = (request: TestRequest) => Promise<TestResponse>;

async function ok(call: Call, request: TestRequest): Promise<ReturnType<TestResponse['json']>> {
  const res = await call(request);
  if (res.statusCode >= 300) throw new Error(`${request.method} ${request.url}: ${res.statusCode} ${res.body}`);
  return res.json();
}

/**
 * Drives order-to-cash and procure-to-pay through the three services by hand (as the
 * connectors will), then checks that every event the outboxes hold is valid against its Avro
 * schema in schemas/ and survives an encode/decode round trip.
 */
describe('outbox payloads match the Avro schemas', () => {
  it('covers every event type the services publish', async () => {
    const [crm, erp, scm] = await Promise.all([
      createCrmApp({ dbPath: ':memory:', docsUi: false }),
      createErpApp({ dbPath: ':memory:', docsUi: false }),
      createScmApp({ dbPath: ':memory:', docsUi: false }),
    ]);
    try {
      const [c, e, s] = await Promise.all([httpClient(crm.app), httpClient(erp.app), httpClient(scm.app)]);
      const address = { line1: 'Hauptstr. 1', line2: 'Hof', city: 'Berlin', postalCode: '10115', country: 'DE' };
      const eur = (amount: string) => ({ amount, currency: 'EUR' });

      await ok(e, { method: 'POST', url: '/products', payload: { sku: 'SKU-1', name: 'Widget', unitPrice: eur('12.5'), standardCost: eur('7') } });
      await ok(e, { method: 'PATCH', url: '/products/SKU-1', payload: { unitPrice: eur('13.00') } });
      await ok(s, { method: 'POST', url: '/warehouses', payload: { id: 'WH-1', name: 'Main' } });
      await ok(s, { method: 'PUT', url: '/items/SKU-1', payload: { name: 'Widget', reorderPoint: 2, reorderQuantity: 10 } });

      const customer = await ok(c, { method: 'POST', url: '/customers', payload: { name: 'Acme', email: 'a@acme.example', segment: 'SMB', billingAddress: address } });
      await ok(c, { method: 'PATCH', url: `/customers/${customer.id}`, payload: { phone: '+49 30 123456' } });
      await ok(e, { method: 'PUT', url: `/accounts/${customer.id}`, payload: { name: 'Acme', segment: 'SMB' } });
      await ok(e, { method: 'PUT', url: `/accounts/${customer.id}`, payload: { name: 'Acme', segment: 'ENTERPRISE' } });

      const order = await ok(c, { method: 'POST', url: '/orders', payload: { customerId: customer.id, lines: [{ sku: 'SKU-1', quantity: 4 }] } });
      const so = await ok(e, { method: 'POST', url: '/sales-orders', payload: { crmOrderId: order.id, crmCustomerId: customer.id, lines: order.lines, shipTo: order.shipTo } });
      await ok(e, { method: 'POST', url: '/sales-orders', payload: { crmOrderId: 'O-X', crmCustomerId: customer.id, lines: [{ sku: 'NOPE', quantity: 1 }], shipTo: order.shipTo } });
      await ok(s, { method: 'POST', url: '/stock/receipts', payload: { sku: 'SKU-1', warehouseId: 'WH-1', quantity: 3, reference: 'DN-1' } });
      const shipment = await ok(s, { method: 'POST', url: '/fulfilments', payload: { salesOrderNumber: so.salesOrderNumber, crmOrderId: order.id, crmCustomerId: customer.id, lines: order.lines, shipTo: order.shipTo } });
      await ok(s, { method: 'POST', url: '/stock/receipts', payload: { sku: 'SKU-1', warehouseId: 'WH-1', quantity: 5 } });
      await ok(s, { method: 'POST', url: `/shipments/${shipment.id}/dispatch`, payload: { carrier: 'DHL', trackingNumber: 'JD1' } });
      await ok(s, { method: 'POST', url: `/shipments/${shipment.id}/deliver`, payload: {} });
      const invoice = await ok(e, { method: 'POST', url: '/invoices', payload: { salesOrderNumber: so.salesOrderNumber, shipmentId: shipment.id } });
      await ok(e, { method: 'POST', url: '/payments', payload: { invoiceNumber: invoice.invoiceNumber, amount: invoice.amount } });
      await ok(e, { method: 'POST', url: '/purchase-orders', payload: { sku: 'SKU-1', quantity: 10, warehouseId: 'WH-1', reorderReference: 'SKU-1@WH-1' } });

      const other = await ok(c, { method: 'POST', url: '/orders', payload: { customerId: customer.id, lines: [{ sku: 'SKU-1', quantity: 1 }] } });
      const so2 = await ok(e, { method: 'POST', url: '/sales-orders', payload: { crmOrderId: other.id, crmCustomerId: customer.id, lines: other.lines, shipTo: other.shipTo } });
      await ok(c, { method: 'POST', url: `/orders/${other.id}/cancel`, payload: {} });
      await ok(e, { method: 'POST', url: `/sales-orders/${so2.salesOrderNumber}/cancel`, payload: {} });
      const c2 = await ok(c, { method: 'POST', url: '/customers', payload: { name: 'Gone', email: 'g@x.example', segment: 'CONSUMER', billingAddress: address } });
      await ok(c, { method: 'POST', url: `/customers/${c2.id}/deactivate`, payload: { reason: 'duplicate' } });

      const seen = new Set<string>();
      const check = (outbox: Outbox) => {
        for (const row of outbox.readUnsent(1000)) {
          const fullName = recordFullName(row.system, row.eventType);
          const { type } = eventSchema(fullName);
          const payload = JSON.parse(row.payload) as unknown;
          const problems: string[] = [];
          type.isValid(payload, { errorHook: (path, value) => problems.push(`${path.join('.')}=${JSON.stringify(value)}`) });
          expect({ fullName, problems }).toEqual({ fullName, problems: [] });
          expect(type.fromBuffer(type.toBuffer(payload))).toEqual(type.clone(payload));
          seen.add(fullName);
        }
      };
      check(crm.outbox);
      check(erp.outbox);
      check(scm.outbox);
      expect([...seen].sort()).toEqual([
        'switchboard.crm.CustomerCreated', 'switchboard.crm.CustomerDeactivated', 'switchboard.crm.CustomerUpdated',
        'switchboard.crm.OrderCancelled', 'switchboard.crm.OrderPlaced',
        'switchboard.erp.CreditStatusChanged', 'switchboard.erp.CustomerAccountOpened', 'switchboard.erp.InvoiceIssued',
        'switchboard.erp.PaymentReceived', 'switchboard.erp.PriceChanged', 'switchboard.erp.ProductCreated',
        'switchboard.erp.PurchaseOrderPlaced', 'switchboard.erp.SalesOrderCancelled', 'switchboard.erp.SalesOrderConfirmed',
        'switchboard.erp.SalesOrderRejected',
        'switchboard.scm.ReorderPointReached', 'switchboard.scm.ShipmentCreated', 'switchboard.scm.ShipmentDelivered',
        'switchboard.scm.ShipmentDispatched', 'switchboard.scm.StockMoved', 'switchboard.scm.StockShortage',
      ]);
    } finally {
      await Promise.all([crm.app.close(), erp.app.close(), scm.app.close()]);
    }
  });
});
