import { defineConnector, http, mappingError } from '../../hub/sdk/index.js';
import { topicSpec } from '../../catalogue/index.js';

/**
 * Flow 12 (CRM side): the ERP owns the product master; the CRM's catalogue follows it.
 * ProductCreated → `PUT /products/:sku {name, unitPrice}`; PriceChanged →
 * `PUT /products/:sku {unitPrice}` (the event carries no name: the CRM keeps the one it has).
 * Both are keyed by SKU, so a price change never overtakes its product.
 */
export default defineConnector({
  name: 'erp-product-to-crm',
  description: 'Keeps the CRM catalogue (products and list prices) in step with the ERP product master',
  source: { topics: [topicSpec('erp', 'product')], eventTypes: ['switchboard.erp.ProductCreated', 'switchboard.erp.PriceChanged'] },
  target: { system: 'crm' },
  map: (event) => {
    const { sku, unitPrice } = event.value;
    const path = `/products/${encodeURIComponent(sku)}`;
    const price = { amount: unitPrice.amount, currency: unitPrice.currency };
    if (event.type === 'switchboard.erp.PriceChanged') return [http({ method: 'PUT', path, body: { unitPrice: price } })];
    const { name } = event.value;
    if (name.trim() === '' || name.length > 200) throw mappingError(`product ${sku}: name must be 1..200 characters with a non-blank one`);
    return [http({ method: 'PUT', path, body: { name, unitPrice: price } })];
  },
});
