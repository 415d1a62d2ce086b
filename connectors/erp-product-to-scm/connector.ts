import { defineConnector, http, mappingError } from '../../hub/sdk/index.js';
import { topicSpec } from '../../catalogue/index.js';

/**
 * Flow 12 (SCM side): every ERP product is an item of the SCM's item master, so that stock
 * can be received, reserved and shipped for it: ProductCreated → `PUT /items/:sku {name}`.
 * The reorder point and quantity belong to the SCM's planners and are left as they are.
 *
 * PriceChanged is not handled: the SCM's item master holds no price (inventory is valued in
 * the ERP), so there is nothing to change there.
 */
export default defineConnector({
  name: 'erp-product-to-scm',
  description: 'Adds every ERP product to the SCM item master',
  source: { topics: [topicSpec('erp', 'product')], eventTypes: ['switchboard.erp.ProductCreated'] },
  target: { system: 'scm' },
  map: (event) => {
    const { sku, name } = event.value;
    if (name.trim() === '' || name.length > 200) throw mappingError(`product ${sku}: name must be 1..200 characters with a non-blank one`);
    return [http({ method: 'PUT', path: `/items/${encodeURIComponent(sku)}`, body: { name } })];
  },
});
