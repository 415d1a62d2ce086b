import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { MappingError, type HttpAction } from '../../hub/sdk/index.js';
import { mappingContext, testEvent } from '../../tests/kit/index.js';
import connector from './connector.js';

const placed = EXAMPLE_EVENTS['switchboard.erp.PurchaseOrderPlaced'];
const ctx = mappingContext({ connector: connector.name });
const map = async (value: typeof placed): Promise<HttpAction[]> => (await connector.map(testEvent('switchboard.erp.PurchaseOrderPlaced', value), ctx)) as HttpAction[];

describe('erp-po-to-scm', () => {
  it('consumes PurchaseOrderPlaced from erp.purchase-order.v1 and calls the SCM', () => {
    expect(connector.source).toEqual({ topics: ['erp.purchase-order.v1'], eventTypes: ['switchboard.erp.PurchaseOrderPlaced'] });
    expect(connector.target).toEqual({ system: 'scm' });
  });

  it('announces the expected receipt of the purchase order in its warehouse', async () => {
    expect(await map(placed)).toEqual([
      expect.objectContaining({
        kind: 'http', method: 'POST', path: '/expected-receipts',
        body: { purchaseOrderNumber: 'PO-2024-0311', sku: 'SKU-CHAIR-01', warehouseId: 'WH-BRE', quantity: 50, expectedAt: placed.expectedAt },
      }),
    ]);
  });

  it('leaves out an unknown delivery date and adds up lines of one SKU', async () => {
    const line = { sku: 'SKU-CHAIR-01', quantity: 20, unitPrice: null, lineTotal: null };
    const [action] = await map({ ...placed, expectedAt: null, lines: [line, { ...line, quantity: 5 }] });
    expect(action?.body).toEqual({ purchaseOrderNumber: 'PO-2024-0311', sku: 'SKU-CHAIR-01', warehouseId: 'WH-BRE', quantity: 25 });
  });

  it('refuses purchase orders the SCM cannot expect as a mapping error', async () => {
    await expect(map({ ...placed, lines: [] })).rejects.toThrow(MappingError);
    await expect(map({ ...placed, lines: [...placed.lines, { sku: 'SKU-DESK-02', quantity: 2 }] })).rejects.toThrow(/one SKU per purchase order/);
    await expect(map({ ...placed, lines: [{ sku: 'SKU-CHAIR-01', quantity: 0 }] })).rejects.toMatchObject({ code: 'SWB_ERR_RUNTIME_MAPPING', retriable: false });
  });
});
