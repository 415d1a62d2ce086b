import { ERRORS } from '../../hub/errors/index.js';
import { loadDeclarativeConnector } from '../../hub/declarative/index.js';
import { STOCK_LEVELS_TYPE, stockLevel } from '../../demo/legacy-warehouse/stock-levels.js';
import { mappingContext, testChange } from '../../tests/kit/index.js';

const connector = loadDeclarativeConnector(new URL('./connector.yaml', import.meta.url));
const change = (op: 'snapshot' | 'insert' | 'update' | 'delete', before: Record<string, unknown> | null, after: Record<string, unknown> | null) =>
  testChange(STOCK_LEVELS_TYPE, '["LEGACY-HINGE-01","WH-LEGACY"]', { op, before, after, lsn: '0/16B3748', committedAt: Date.parse('2026-01-01T12:00:00Z'), txId: 771 }, { id: 'c0ffee00-0000-4000-8000-000000000001' });

describe('legacy-stock-to-scm', () => {
  it('turns a changed stock level into an SCM StockMoved adjustment by the difference, named after the change', async () => {
    const actions = await connector.map(change('update', stockLevel('LEGACY-HINGE-01', 120), stockLevel('LEGACY-HINGE-01', 117, 5)), mappingContext());
    expect(actions).toEqual([{
      kind: 'produce', eventType: 'switchboard.scm.StockMoved', key: 'LEGACY-HINGE-01',
      value: {
        movementId: 'LW-c0ffee00-0000-4000-8000-000000000001', sku: 'LEGACY-HINGE-01', warehouseId: 'WH-LEGACY', quantity: -3, movementType: 'ADJUSTMENT',
        reference: 'legacy-warehouse update', onHand: 117, reserved: 5, totalAvailable: 112, movedAt: Date.parse('2026-01-01T12:00:00Z'),
      },
    }]);
  });

  it('brings a snapshot row and an insert in from zero, and a deleted row down to zero', async () => {
    const [snapshot] = await connector.map(change('snapshot', null, stockLevel('LEGACY-HINGE-01', 120)), mappingContext());
    expect(snapshot).toMatchObject({ value: { quantity: 120, onHand: 120, reference: 'legacy-warehouse snapshot' } });
    const [inserted] = await connector.map(change('insert', null, stockLevel('LEGACY-HINGE-01', 4)), mappingContext());
    expect(inserted).toMatchObject({ value: { quantity: 4 } });
    const [deleted] = await connector.map(change('delete', stockLevel('LEGACY-HINGE-01', 7, 2), null), mappingContext());
    expect(deleted).toMatchObject({ value: { quantity: -7, onHand: 0, reserved: 0, totalAvailable: 0 } });
  });

  it('does nothing for a change that does not move the level (a new bin), or for an empty level read by the snapshot', async () => {
    expect(await connector.map(change('update', stockLevel('LEGACY-HINGE-01', 120), { ...stockLevel('LEGACY-HINGE-01', 120), bin: 'C-09-9' }), mappingContext())).toEqual([]);
    expect(await connector.map(change('snapshot', null, stockLevel('LEGACY-SHELF-PIN', 0)), mappingContext())).toEqual([]);
  });

  it('refuses an update without the previous row: the table needs REPLICA IDENTITY FULL', async () => {
    await expect(connector.map(change('update', null, stockLevel('LEGACY-HINGE-01', 3)), mappingContext())).rejects.toMatchObject({ code: ERRORS.RUNTIME_MAPPING.code, message: expect.stringContaining('REPLICA IDENTITY FULL') });
  });
});
