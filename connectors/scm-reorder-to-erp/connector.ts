import { defineConnector, http, mappingError } from '../../hub/sdk/index.js';
import { topicSpec } from '../../catalogue/index.js';

/**
 * Flow 13: when a warehouse's available stock of a SKU falls to its reorder point, the ERP
 * raises a purchase order for the configured reorder quantity, delivered to that warehouse
 * (and publishes PurchaseOrderPlaced itself; flow 14 tells the SCM to expect it).
 *
 * The ERP numbers a new purchase order on every call, so exactly one order per signal rests
 * on the Idempotency-Key the runtime sends. The SCM raises the signal once per dip below the
 * point, so each event is one order. The reference `<sku>@<warehouse>` lets buyers see which
 * signal raised the order.
 *
 * Races: a SKU the ERP does not know (yet) gets a 404 with `retriable: true`; the runtime
 * retries it.
 */
export default defineConnector({
  name: 'scm-reorder-to-erp',
  description: 'Raises an ERP purchase order when an SCM reorder point is reached',
  source: { topics: [topicSpec('scm', 'stock')], eventTypes: ['switchboard.scm.ReorderPointReached'] },
  target: { system: 'erp' },
  map: ({ value }) => {
    // The SCM never raises the signal for items that do not reorder (quantity 0).
    if (value.reorderQuantity <= 0) throw mappingError(`reorder point of ${value.sku} in ${value.warehouseId} has no reorder quantity (${value.reorderQuantity})`);
    if (!value.sku.trim() || !value.warehouseId.trim()) throw mappingError('reorder point names no SKU or warehouse');
    return [
      http({
        method: 'POST',
        path: '/purchase-orders',
        body: { sku: value.sku, quantity: value.reorderQuantity, warehouseId: value.warehouseId, reorderReference: `${value.sku}@${value.warehouseId}` },
      }),
    ];
  },
});
