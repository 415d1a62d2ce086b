import { defineConnector, http, mappingError } from '../../hub/sdk/index.js';
import { topicSpec } from '../../catalogue/index.js';

/**
 * Flow 7: every SCM stock movement is booked in the ERP's inventory ledger, which values it
 * at the product's standard cost.
 *
 * Races: a movement of a SKU the ERP does not know yet (an item set up in the SCM before the
 * product reached the ERP) gets a 404 with `retriable: true` from the ERP; the runtime retries
 * it, it is never dropped. The ERP also books each `movementId` once, besides the
 * Idempotency-Key the runtime sends.
 */
export default defineConnector({
  name: 'scm-stock-to-erp',
  description: 'Books every SCM stock movement in the ERP inventory ledger and valuation',
  source: { topics: [topicSpec('scm', 'stock')], eventTypes: ['switchboard.scm.StockMoved'] },
  target: { system: 'erp' },
  map: ({ value }) => {
    // A movement of nothing changes no counter; the ERP refuses it, so it is bad data here.
    if (value.quantity === 0) throw mappingError(`stock movement ${value.movementId} of ${value.sku} moves 0 units`);
    if (!value.sku.trim() || !value.warehouseId.trim()) throw mappingError(`stock movement ${value.movementId} names no SKU or warehouse`);
    return [
      http({
        method: 'POST',
        path: '/inventory/movements',
        body: {
          movementId: value.movementId,
          sku: value.sku,
          warehouseId: value.warehouseId,
          movementType: value.movementType,
          quantity: value.quantity,
          ...(value.reference ? { reference: value.reference } : {}),
          movedAt: value.movedAt,
        },
      }),
    ];
  },
});
