import { MappingError, type Action } from '../../hub/sdk/index.js';
import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { mappingContext, onlyHttp, testEvent } from '../../tests/kit/index.js';
import connector from './connector.js';

const productCreated = EXAMPLE_EVENTS['switchboard.erp.ProductCreated'];
const priceChanged = EXAMPLE_EVENTS['switchboard.erp.PriceChanged'];
const ctx = mappingContext({ connector: 'erp-product-to-crm' });

describe('erp-product-to-crm', () => {
  it('declares its source, event types and target', () => {
    expect(connector.source).toEqual({ topics: ['erp.product.v1'], eventTypes: ['switchboard.erp.ProductCreated', 'switchboard.erp.PriceChanged'] });
    expect(connector.target).toEqual({ system: 'crm' });
  });

  it('lists a new product in the catalogue with its name and list price (no cost, no description)', async () => {
    expect(onlyHttp(await connector.map(testEvent('switchboard.erp.ProductCreated', productCreated), ctx))).toEqual({
      kind: 'http', method: 'PUT', path: '/products/SKU-CHAIR-01',
      body: { name: 'Ergonomic office chair', unitPrice: { amount: '149.90', currency: 'EUR' } },
    });
  });

  it('changes the list price only on a price change', async () => {
    expect(onlyHttp(await connector.map(testEvent('switchboard.erp.PriceChanged', priceChanged), ctx))).toEqual({
      kind: 'http', method: 'PUT', path: '/products/SKU-CHAIR-01', body: { unitPrice: { amount: '159.90', currency: 'EUR' } },
    });
  });

  it('refuses a product without a usable name as a mapping error', async () => {
    const mapped = async (): Promise<readonly Action[]> => connector.map(testEvent('switchboard.erp.ProductCreated', { ...productCreated, name: ' ' }), ctx);
    await expect(mapped()).rejects.toBeInstanceOf(MappingError);
  });
});
