import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { useConnectorRig } from '../../tests/support/connector-rig.js';
import { eventually } from '../../tests/support/isolation.js';
import { TargetCallError, getJson, performEvent, sendJson, testEvent } from '../../tests/support/perform-actions.js';
import connector from './connector.js';

interface PurchaseOrder { purchaseOrderNumber: string; sku: string; quantity: number; warehouseId: string; status: string; reorderReference: string | null; unitCost: { amount: string } }

const reached = EXAMPLE_EVENTS['switchboard.scm.ReorderPointReached'];

describe('scm-reorder-to-erp against the real ERP, through the runtime', () => {
  const rig = useConnectorRig('erp', connector, 'c13');

  const purchaseOrders = async (sku: string): Promise<PurchaseOrder[]> => (await getJson(rig.url, `/purchase-orders?sku=${sku}`)).body as PurchaseOrder[];

  beforeAll(async () => {
    const created = await sendJson(rig.url, 'POST', '/products', {
      sku: 'SKU-CHAIR-01', name: 'Chair', unitPrice: { amount: '149.90', currency: 'EUR' }, standardCost: { amount: '82.15', currency: 'EUR' },
    });
    expect(created.status).toBe(201);
  });

  it('raises one purchase order per reorder signal, even when the signal comes twice', async () => {
    const first = await rig.stack.publish('switchboard.scm.ReorderPointReached', reached.sku, reached);
    await rig.stack.publish('switchboard.scm.ReorderPointReached', reached.sku, reached, { id: first.id });
    const [order] = await eventually(async () => {
      const found = await purchaseOrders('SKU-CHAIR-01');
      return found.length > 0 ? found : undefined;
    }, 30000, 'purchase order');
    expect(order).toMatchObject({ sku: 'SKU-CHAIR-01', quantity: 50, warehouseId: 'WH-BRE', status: 'PLACED', reorderReference: 'SKU-CHAIR-01@WH-BRE', unitCost: { amount: '82.15' } });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await purchaseOrders('SKU-CHAIR-01')).toHaveLength(1);
    expect(await rig.stack.deadLetters.list(connector.name)).toEqual([]);
  });

  it('gets a retriable 404 for a SKU the ERP does not know yet, and orders it once the product exists', async () => {
    const event = testEvent('switchboard.scm.ReorderPointReached', { ...reached, sku: 'SKU-NEW-7' });
    const refused = await performEvent(connector, event, { baseUrl: rig.url }).catch((error: unknown) => error);
    expect((refused as TargetCallError).call).toMatchObject({ status: 404, responseBody: { error: { retriable: true } } });
    await sendJson(rig.url, 'POST', '/products', { sku: 'SKU-NEW-7', name: 'New', unitPrice: { amount: '10.00', currency: 'EUR' } });
    expect((await performEvent(connector, event, { baseUrl: rig.url })).calls[0]?.status).toBe(201);
    expect((await performEvent(connector, event, { baseUrl: rig.url })).calls[0]?.replayed).toBe(true);
    expect(await purchaseOrders('SKU-NEW-7')).toHaveLength(1);
  });
});
