import { defineConnector, http, produce, xref, missingDependency, type ConnectorOptions } from '../../hub/sdk/index.js';
import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import type { OrderPlaced } from '../../catalogue/index.js';
import { topicSpec } from '../../catalogue/index.js';

/**
 * Two small connectors that exercise the runtime without the real services: one calls an
 * HTTP target, one produces events (topic to topic). Used by the runtime's integration tests
 * and as the kit's own self-test.
 */

/** OrderPlaced → `POST /orders/<orderId>/placements` with the order's sequence (carried in the first line's quantity). */
export function httpTestConnector(name = 'test-order-to-http', options: ConnectorOptions = {}) {
  return defineConnector({
    name,
    description: 'test: each placed order becomes one call to an HTTP target',
    source: { topics: [topicSpec('crm', 'order')], eventTypes: ['switchboard.crm.OrderPlaced'] },
    target: { system: 'erp' },
    options: { maxAttempts: 3, retryInitialMs: 50, retryMaxMs: 200, parkInitialMs: 300, parkMaxMs: 1500, ...options },
    map: (event) => [
      http({
        method: 'POST',
        path: `/orders/${event.value.orderId}/placements`,
        body: { orderId: event.value.orderId, seq: event.value.lines[0]?.quantity },
        onResponse: (response) => [xref.put('order', { crm: event.value.orderId, erp: (response.body as { id: string }).id })],
      }),
    ],
  });
}

/** CustomerCreated → CustomerAccountOpened (account number `A-<customerId>`) and a customer cross-reference. */
export function topicTestConnector(name = 'test-customer-to-account', options: ConnectorOptions = {}) {
  return defineConnector({
    name,
    description: 'test: each created customer opens an ERP account event',
    source: { topics: ['crm.customer.v1'], eventTypes: ['switchboard.crm.CustomerCreated'] },
    target: { kind: 'topic' },
    options: { maxAttempts: 3, retryInitialMs: 50, retryMaxMs: 200, parkInitialMs: 300, parkMaxMs: 1500, ...options },
    map: (event) => [
      produce({
        eventType: 'switchboard.erp.CustomerAccountOpened',
        key: event.value.customerId,
        value: { ...EXAMPLE_EVENTS['switchboard.erp.CustomerAccountOpened'], crmCustomerId: event.value.customerId, accountNumber: `A-${event.value.customerId}`, name: event.value.name },
      }),
      xref.put('customer', { crm: event.value.customerId, erp: `A-${event.value.customerId}` }),
    ],
  });
}

/** OrderPlaced → `POST /sales-orders` for the customer's ERP account; a missing account is a missing dependency. */
export function dependentTestConnector(name = 'test-order-needs-account', options: ConnectorOptions = {}) {
  return defineConnector({
    name,
    description: 'test: needs the customer cross-reference before it can call the target',
    source: { topics: [topicSpec('crm', 'order')], eventTypes: ['switchboard.crm.OrderPlaced'] },
    target: { system: 'erp' },
    options: { maxAttempts: 2, retryInitialMs: 50, retryMaxMs: 100, parkInitialMs: 300, parkMaxMs: 1000, ...options },
    map: async (event, ctx) => {
      const account = await ctx.xref.get('customer', 'crm', event.value.customerId, 'erp');
      if (!account) throw missingDependency(`no ERP account for CRM customer ${event.value.customerId} yet`);
      return [http({ method: 'POST', path: '/sales-orders', body: { account, orderId: event.value.orderId } })];
    },
  });
}

/** An OrderPlaced value for order `orderId`, carrying `seq` (first line's quantity). */
export function orderPlaced(orderId: string, seq: number, customerId = 'C-1017'): OrderPlaced {
  const example = EXAMPLE_EVENTS['switchboard.crm.OrderPlaced'];
  return { ...example, orderId, customerId, lines: [{ sku: 'SKU-CHAIR-01', quantity: seq, unitPrice: null, lineTotal: null }] };
}
