import { addressBody, defineConnector, http, mappingError, missingDependency, xref, type HttpResponse } from '../../hub/sdk/index.js';
import type { Line } from '../../catalogue/index.js';
import { topicSpec } from '../../catalogue/index.js';

/**
 * Flow 4: a CRM order becomes an ERP sales order, which the ERP credit-checks, prices and
 * confirms or rejects (it publishes SalesOrderConfirmed / SalesOrderRejected itself).
 *
 * - OrderPlaced → `POST /sales-orders {crmOrderId, crmCustomerId, lines, shipTo}`; the sales
 *   order number from the answer is recorded as the order's ERP cross-reference. The
 *   customer's ERP account must exist first (flow 1 records it as a cross-reference): until it
 *   does, the order is a missing dependency, retried and parked by the runtime, never dropped.
 * - OrderCancelled → `POST /sales-order-cancellations {crmOrderId, reason?}`, once the order's
 *   sales order is known (same rule: missing dependency until then). Both events are keyed by
 *   the CRM order id, so a cancellation never overtakes its order.
 */
export default defineConnector({
  name: 'crm-order-to-erp',
  description: 'Creates the ERP sales order of each CRM order (credit check in the ERP), and cancels it when the CRM order is cancelled',
  source: { topics: [topicSpec('crm', 'order')], eventTypes: ['switchboard.crm.OrderPlaced', 'switchboard.crm.OrderCancelled'] },
  target: { system: 'erp' },
  map: async (event, ctx) => {
    if (event.type === 'switchboard.crm.OrderCancelled') {
      const { orderId, reason } = event.value;
      const salesOrder = await ctx.xref.get('order', 'crm', orderId, 'erp');
      if (!salesOrder) throw missingDependency(`no ERP sales order for CRM order ${orderId} yet`);
      const body: { crmOrderId: string; reason?: string } = { crmOrderId: orderId };
      if (reason?.trim()) body.reason = reason.slice(0, 500);
      return [http({ method: 'POST', path: '/sales-order-cancellations', body })];
    }

    const { orderId, customerId, lines, shipTo } = event.value;
    const body = { crmOrderId: orderId, crmCustomerId: customerId, lines: lineBodies(lines, orderId), shipTo: addressBody(shipTo, `order ${orderId}`) };
    const account = await ctx.xref.get('customer', 'crm', customerId, 'erp');
    if (!account) throw missingDependency(`no ERP account for CRM customer ${customerId} yet (order ${orderId})`);
    return [
      http({
        method: 'POST',
        path: '/sales-orders',
        body,
        onResponse: (response) => [xref.put('order', { crm: orderId, erp: salesOrderNumberOf(response, orderId) })],
      }),
    ];
  },
});

/** The ERP prices the lines itself; it takes `{sku, quantity}` only. */
function lineBodies(lines: readonly Line[], orderId: string): { sku: string; quantity: number }[] {
  if (lines.length === 0 || lines.length > 100) throw mappingError(`order ${orderId} has ${lines.length} lines; the ERP takes 1..100`);
  return lines.map((line, index) => {
    if (!Number.isInteger(line.quantity) || line.quantity < 1) throw mappingError(`order ${orderId} line ${index} (${line.sku}): quantity ${line.quantity} is not a positive whole number`);
    return { sku: line.sku, quantity: line.quantity };
  });
}

function salesOrderNumberOf(response: HttpResponse, orderId: string): string {
  const body = response.body as { salesOrderNumber?: unknown } | undefined;
  if (typeof body?.salesOrderNumber !== 'string' || body.salesOrderNumber === '') {
    throw mappingError(`the ERP answered ${response.status} for order ${orderId} without a salesOrderNumber`);
  }
  return body.salesOrderNumber;
}
