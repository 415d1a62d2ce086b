import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { MappingError, type HttpAction } from '../../hub/sdk/index.js';
import { mappingContext, testEvent } from '../../tests/kit/index.js';
import connector from './connector.js';

const moved = EXAMPLE_EVENTS['switchboard.scm.StockMoved'];
const ctx = mappingContext({ connector: connector.name });

describe('scm-stock-to-erp', () => {
  it('consumes StockMoved from scm.stock.v1 and calls the ERP', () => {
    expect(connector.source).toEqual({ topics: ['scm.stock.v1'], eventTypes: ['switchboard.scm.StockMoved'] });
    expect(connector.target).toEqual({ system: 'erp' });
  });

  it('books the movement in the ERP inventory ledger', async () => {
    const actions = await connector.map(testEvent('switchboard.scm.StockMoved', moved), ctx);
    expect(actions).toEqual([
      expect.objectContaining({
        kind: 'http', method: 'POST', path: '/inventory/movements',
        body: {
          movementId: 'MV-778812', sku: 'SKU-CHAIR-01', warehouseId: 'WH-BRE', movementType: 'RESERVATION',
          quantity: 4, reference: 'SO-2024-0042', movedAt: moved.movedAt,
        },
      }),
    ]);
    expect((actions[0] as HttpAction).onResponse).toBeUndefined();
  });

  it('keeps the sign of an issue and leaves out a missing reference', async () => {
    const issue = { ...moved, movementId: 'MV-9', movementType: 'ISSUE' as const, quantity: -4, reference: null };
    const [action] = (await connector.map(testEvent('switchboard.scm.StockMoved', issue), ctx)) as HttpAction[];
    expect(action?.body).toEqual({ movementId: 'MV-9', sku: 'SKU-CHAIR-01', warehouseId: 'WH-BRE', movementType: 'ISSUE', quantity: -4, movedAt: moved.movedAt });
  });

  it('refuses a movement of zero units as a mapping error (dead-lettered, not retried)', async () => {
    const zero = testEvent('switchboard.scm.StockMoved', { ...moved, quantity: 0 });
    await expect(Promise.resolve().then(() => connector.map(zero, ctx))).rejects.toThrow(MappingError);
    await expect(Promise.resolve().then(() => connector.map(zero, ctx))).rejects.toMatchObject({ retriable: false, code: 'SWB_ERR_RUNTIME_MAPPING' });
  });

  it('refuses a movement without a SKU', async () => {
    const blank = testEvent('switchboard.scm.StockMoved', { ...moved, sku: ' ' });
    await expect(Promise.resolve().then(() => connector.map(blank, ctx))).rejects.toThrow(MappingError);
  });
});
