import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { MappingError, type HttpAction } from '../../hub/sdk/index.js';
import { mappingContext, testEvent } from '../../tests/kit/index.js';
import connector from './connector.js';

const moved = EXAMPLE_EVENTS['switchboard.scm.StockMoved'];
const ctx = mappingContext({ connector: connector.name });
const map = async (value: typeof moved): Promise<HttpAction[]> => (await connector.map(testEvent('switchboard.scm.StockMoved', value), ctx)) as HttpAction[];

describe('scm-stock-to-crm', () => {
  it('consumes StockMoved from scm.stock.v1 and calls the CRM', () => {
    expect(connector.source).toEqual({ topics: ['scm.stock.v1'], eventTypes: ['switchboard.scm.StockMoved'] });
    expect(connector.target).toEqual({ system: 'crm' });
  });

  it('sets the catalogue availability of the SKU to the total available across warehouses', async () => {
    expect(await map(moved)).toEqual([
      expect.objectContaining({ kind: 'http', method: 'PUT', path: '/products/SKU-CHAIR-01/availability', body: { available: 14 } }),
    ]);
  });

  it('uses totalAvailable, not the warehouse on-hand or reserved figures', async () => {
    const [action] = await map({ ...moved, onHand: 100, reserved: 1, totalAvailable: 3 });
    expect(action?.body).toEqual({ available: 3 });
  });

  it('shows availability below zero (on hand under reserved) as 0', async () => {
    const [action] = await map({ ...moved, movementType: 'ADJUSTMENT', quantity: -12, totalAvailable: -2 });
    expect(action?.body).toEqual({ available: 0 });
  });

  it('escapes the SKU in the path', async () => {
    const [action] = await map({ ...moved, sku: 'SKU/1 2' });
    expect(action?.path).toBe('/products/SKU%2F1%202/availability');
  });

  it('refuses a movement without a SKU as a mapping error', async () => {
    await expect(map({ ...moved, sku: '' })).rejects.toThrow(MappingError);
  });
});
