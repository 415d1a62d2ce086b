import { addressBody, defineConnector, http, mappingError, xref, type HttpResponse } from '../../hub/sdk/index.js';
import type { Line } from '../../catalogue/index.js';
import { topicSpec } from '../../catalogue/index.js';

/**
 * Flow 5: a confirmed sales order is fulfilled by the SCM: `POST /fulfilments` reserves stock
 * and creates the shipment (short lines are backordered; the SCM publishes ShipmentCreated,
 * StockMoved and StockShortage). The shipment id joins the order's cross-reference.
 *
 * An item not yet in the SCM's item master (flow 12 still on its way) is answered with a
 * retriable 404 by the SCM; the shipment address is the order's `shipTo`, so the consignee
 * (flow 2) is not needed.
 *
 * A cancelled sales order cancels its shipment, which releases the reserved stock. Both events
 * share the order's key, so a confirmation is always handled before its cancellation: no
 * shipment in the cross-reference means the order was never fulfilled and there is nothing to do.
 * A shipment that has already left answers 422 (its only business rule); the CRM then shows
 * "dispatched after cancellation" through flow 10, so nothing is lost from sight.
 */
export default defineConnector({
  name: 'erp-order-to-scm',
  description: 'Reserves stock and creates the SCM shipment of each confirmed ERP sales order; cancels it when the order is cancelled',
  source: { topics: [topicSpec('erp', 'sales-order')], eventTypes: ['switchboard.erp.SalesOrderConfirmed', 'switchboard.erp.SalesOrderCancelled'] },
  target: { system: 'scm' },
  map: async (event, ctx) => {
    if (event.type === 'switchboard.erp.SalesOrderCancelled') {
      const shipmentId = await ctx.xref.get('order', 'erp', event.value.salesOrderNumber, 'scm');
      return shipmentId ? [http({ method: 'POST', path: `/shipments/${encodeURIComponent(shipmentId)}/cancel`, body: {}, okStatuses: [422] })] : [];
    }
    const { salesOrderNumber, crmOrderId, crmCustomerId, lines, shipTo } = event.value;
    const body = { salesOrderNumber, crmOrderId, crmCustomerId, lines: lineBodies(lines, salesOrderNumber), shipTo: addressBody(shipTo, `sales order ${salesOrderNumber}`) };
    return [
      http({
        method: 'POST',
        path: '/fulfilments',
        body,
        onResponse: (response) => [xref.put('order', { crm: crmOrderId, erp: salesOrderNumber, scm: shipmentIdOf(response, salesOrderNumber) })],
      }),
    ];
  },
});

/** The SCM ships quantities; prices stay in the ERP. */
function lineBodies(lines: readonly Line[], salesOrderNumber: string): { sku: string; quantity: number }[] {
  if (lines.length === 0 || lines.length > 100) throw mappingError(`sales order ${salesOrderNumber} has ${lines.length} lines; the SCM takes 1..100`);
  return lines.map((line, index) => {
    if (!Number.isInteger(line.quantity) || line.quantity < 1) {
      throw mappingError(`sales order ${salesOrderNumber} line ${index} (${line.sku}): quantity ${line.quantity} is not a positive whole number`);
    }
    return { sku: line.sku, quantity: line.quantity };
  });
}

function shipmentIdOf(response: HttpResponse, salesOrderNumber: string): string {
  const body = response.body as { id?: unknown } | undefined;
  if (typeof body?.id !== 'string' || body.id === '') throw mappingError(`the SCM answered ${response.status} for sales order ${salesOrderNumber} without a shipment id`);
  return body.id;
}
