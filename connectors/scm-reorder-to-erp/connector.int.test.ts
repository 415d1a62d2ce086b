import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { callJson, eventually, statsWhen, useConnectorRig, withFastRetries } from '../../tests/kit/index.js';
import connector from './connector.js';

interface PurchaseOrder { purchaseOrderNumber: string; sku: string; quantity: number; warehouseId: string; status: string; reorderReference: string | null; unitCost: { amount: string } }

const reached = EXAMPLE_EVENTS['switchboard.scm.ReorderPointReached'];

describe('scm-reorder-to-erp against the real ERP, through the runtime', () => {
  const rig = useConnectorRig('erp', withFastRetries(connector), 'c13');

  const purchaseOrders = async (sku: string): Promise<PurchaseOrder[]> => (await callJson(rig.url, 'GET', `/purchase-orders?sku=${sku}`)).body as PurchaseOrder[];

  beforeAll(async () => {
    const created = await callJson(rig.url, 'POST', '/products', {
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
    expect(await statsWhen(rig.worker, 'both copies settled', (stats) => stats.delivered + stats.skipped >= 2)).toMatchObject({ delivered: 1, skipped: 1 });
    expect(await purchaseOrders('SKU-CHAIR-01')).toHaveLength(1);
    expect(await rig.stack.deadLetters.list(connector.name)).toEqual([]);
  });

  it('retries a reorder signal for a SKU the ERP does not know yet (retriable 404), and orders it once, when the product exists', async () => {
    const before = { ...rig.worker.stats };
    const signal = { ...reached, sku: 'SKU-NEW-7' };
    const first = await rig.stack.publish('switchboard.scm.ReorderPointReached', signal.sku, signal);
    await rig.stack.publish('switchboard.scm.ReorderPointReached', signal.sku, signal, { id: first.id });
    const waiting = await statsWhen(rig.worker, 'a retry', (stats) => stats.retried > before.retried);
    expect(waiting.lastError?.code).toBe('SWB_ERR_RUNTIME_MISSING_DEPENDENCY');
    expect(await purchaseOrders('SKU-NEW-7')).toEqual([]);

    expect((await callJson(rig.url, 'POST', '/products', { sku: 'SKU-NEW-7', name: 'New', unitPrice: { amount: '10.00', currency: 'EUR' } })).status).toBe(201);
    await eventually(async () => ((await purchaseOrders('SKU-NEW-7')).length > 0 ? true : undefined), 30000, 'the purchase order');
    await statsWhen(rig.worker, 'the duplicate skipped', (stats) => stats.skipped > before.skipped);
    expect(await purchaseOrders('SKU-NEW-7')).toHaveLength(1);
    expect(await rig.stack.deadLetters.list(connector.name)).toEqual([]);
  });
});
