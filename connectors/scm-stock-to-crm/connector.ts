import { defineConnector, http, mappingError } from '../../hub/sdk/index.js';
import { topicSpec } from '../../catalogue/index.js';

/**
 * Flow 8: the CRM catalogue shows, per SKU, the units available to promise across all
 * warehouses, taken from each StockMoved's `totalAvailable`.
 *
 * StockMoved is keyed by SKU, so one SKU's movements arrive in order and the last one written
 * is the newest figure. The CRM creates a catalogue entry for a SKU it has not seen yet (the
 * name follows through flow 12), so there is no missing dependency here.
 */
export default defineConnector({
  name: 'scm-stock-to-crm',
  description: 'Shows the available-to-promise units of each SKU in the CRM catalogue',
  source: { topics: [topicSpec('scm', 'stock')], eventTypes: ['switchboard.scm.StockMoved'] },
  target: { system: 'crm' },
  map: ({ value }) => {
    if (!value.sku.trim()) throw mappingError(`stock movement ${value.movementId} names no SKU`);
    // A count correction can leave on hand below reserved; nothing more can be promised then,
    // which the catalogue shows as 0 (it does not take negative availability).
    const available = Math.max(0, value.totalAvailable);
    return [http({ method: 'PUT', path: `/products/${encodeURIComponent(value.sku)}/availability`, body: { available } })];
  },
});
