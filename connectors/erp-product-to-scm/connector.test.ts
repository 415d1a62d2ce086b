import { MappingError, type Action } from '../../hub/sdk/index.js';
import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { mappingContext, onlyHttp, testEvent } from '../../tests/kit/index.js';
import { loadDeclarativeConnector } from '../../hub/declarative/index.js';

const connector = loadDeclarativeConnector(new URL('./connector.yaml', import.meta.url));

const productCreated = EXAMPLE_EVENTS['switchboard.erp.ProductCreated'];
const ctx = mappingContext({ connector: 'erp-product-to-scm' });

describe('erp-product-to-scm', () => {
  it('declares its source, event type and target (PriceChanged has nothing to change in the SCM)', () => {
    expect(connector.source).toEqual({ topics: ['erp.product.v1'], eventTypes: ['switchboard.erp.ProductCreated'] });
    expect(connector.target).toEqual({ system: 'scm' });
  });

  it('adds the product to the item master by name, leaving the reorder rule to the planners', async () => {
    expect(onlyHttp(await connector.map(testEvent('switchboard.erp.ProductCreated', productCreated), ctx))).toEqual({
      kind: 'http', method: 'PUT', path: '/items/SKU-CHAIR-01', body: { name: 'Ergonomic office chair' },
    });
  });

  it('refuses a product without a usable name as a mapping error', async () => {
    const mapped = async (): Promise<readonly Action[]> => connector.map(testEvent('switchboard.erp.ProductCreated', { ...productCreated, name: 'x'.repeat(201) }), ctx);
    await expect(mapped()).rejects.toBeInstanceOf(MappingError);
  });
});
