import { defineConnector, http, mappingError } from '../../hub/sdk/index.js';
import { topicSpec } from '../../catalogue/index.js';

/**
 * Flow 14: the SCM expects the goods of every ERP purchase order in the order's warehouse.
 * The goods receipt later (`POST /stock/receipts` with the PO number as reference) closes the
 * expected receipt and moves the stock in, which flow 7 books in the ERP.
 *
 * The SCM expects one SKU per purchase order (the ERP places one-line orders). A purchase
 * order with several lines of different SKUs cannot be expected there and is dead-lettered
 * with that reason; lines of the same SKU are added up.
 *
 * Races: an item the SCM's item master does not have yet gets a 404 with `retriable: true`
 * (it is on its way through flow 12); the runtime retries it. The SCM records one expected
 * receipt per purchase order, so a repeat is harmless even beyond the Idempotency-Key.
 */
export default defineConnector({
  name: 'erp-po-to-scm',
  description: 'Announces each ERP purchase order to the SCM as an expected goods receipt',
  source: { topics: [topicSpec('erp', 'purchase-order')], eventTypes: ['switchboard.erp.PurchaseOrderPlaced'] },
  target: { system: 'scm' },
  map: ({ value }) => {
    const skus = [...new Set(value.lines.map((line) => line.sku))];
    if (skus.length === 0) throw mappingError(`purchase order ${value.purchaseOrderNumber} has no lines`);
    if (skus.length > 1) {
      throw mappingError(`purchase order ${value.purchaseOrderNumber} orders ${skus.join(', ')}; the SCM expects one SKU per purchase order`);
    }
    if (value.lines.some((line) => line.quantity <= 0)) throw mappingError(`purchase order ${value.purchaseOrderNumber} has a line without a positive quantity`);
    const quantity = value.lines.reduce((sum, line) => sum + line.quantity, 0);
    return [
      http({
        method: 'POST',
        path: '/expected-receipts',
        body: {
          purchaseOrderNumber: value.purchaseOrderNumber,
          sku: skus[0],
          warehouseId: value.warehouseId,
          quantity,
          ...(value.expectedAt != null ? { expectedAt: value.expectedAt } : {}),
        },
      }),
    ];
  },
});
