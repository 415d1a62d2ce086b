import { defineConnector, http, mappingError } from '../../hub/sdk/index.js';
import { topicSpec } from '../../catalogue/index.js';

/**
 * Flow 9: when the SCM dispatches a shipment, the ERP issues the invoice for its sales order
 * (and publishes InvoiceIssued itself).
 *
 * Cancelled meanwhile: a shipment dispatched for an order that was cancelled in the meantime
 * is still invoiced. The goods have left the warehouse and are with the customer; not billing
 * them would lose money silently, while an invoice is visible and can be credited once the
 * goods come back. The ERP implements the same rule (it invoices cancelled sales orders and
 * refuses only rejected ones, with a 409 that dead-letters the event for an operator).
 *
 * Races: the ERP answers 404 with `retriable: true` for a sales order it does not know (yet);
 * the runtime retries it. The ERP issues one invoice per sales order, so a repeat is harmless
 * even beyond the Idempotency-Key.
 */
export default defineConnector({
  name: 'scm-shipment-to-erp',
  description: 'Issues the ERP invoice for each dispatched shipment',
  source: { topics: [topicSpec('scm', 'shipment')], eventTypes: ['switchboard.scm.ShipmentDispatched'] },
  target: { system: 'erp' },
  map: ({ value }) => {
    if (!value.salesOrderNumber.trim()) throw mappingError(`shipment ${value.shipmentId} names no sales order to invoice`);
    if (value.lines.length === 0 || value.lines.some((line) => line.quantity <= 0)) {
      throw mappingError(`shipment ${value.shipmentId} was dispatched without goods; there is nothing to invoice`);
    }
    return [http({ method: 'POST', path: '/invoices', body: { salesOrderNumber: value.salesOrderNumber, shipmentId: value.shipmentId } })];
  },
});
