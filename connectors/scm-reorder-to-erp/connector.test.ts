import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { MappingError, type HttpAction } from '../../hub/sdk/index.js';
import { mappingContext, testEvent } from '../../tests/kit/index.js';
import connector from './connector.js';

const reached = EXAMPLE_EVENTS['switchboard.scm.ReorderPointReached'];
const ctx = mappingContext({ connector: connector.name });
const map = async (value: typeof reached): Promise<HttpAction[]> => (await connector.map(testEvent('switchboard.scm.ReorderPointReached', value), ctx)) as HttpAction[];

describe('scm-reorder-to-erp', () => {
  it('consumes ReorderPointReached from scm.stock.v1 and calls the ERP', () => {
    expect(connector.source).toEqual({ topics: ['scm.stock.v1'], eventTypes: ['switchboard.scm.ReorderPointReached'] });
    expect(connector.target).toEqual({ system: 'erp' });
  });

  it('raises a purchase order for the reorder quantity, delivered to the warehouse that is low', async () => {
    expect(await map(reached)).toEqual([
      expect.objectContaining({
        kind: 'http', method: 'POST', path: '/purchase-orders',
        body: { sku: 'SKU-CHAIR-01', quantity: 50, warehouseId: 'WH-BRE', reorderReference: 'SKU-CHAIR-01@WH-BRE' },
      }),
    ]);
  });

  it('refuses a signal without a reorder quantity or SKU as a mapping error', async () => {
    await expect(map({ ...reached, reorderQuantity: 0 })).rejects.toThrow(MappingError);
    await expect(map({ ...reached, sku: '' })).rejects.toMatchObject({ code: 'SWB_ERR_RUNTIME_MAPPING', retriable: false });
  });
});
