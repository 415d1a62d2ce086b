import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { callJson, eventually, statsWhen, useConnectorRig, withFastRetries } from '../../tests/kit/index.js';
import connector from './connector.js';

interface ExpectedReceipt { purchaseOrderNumber: string; sku: string; warehouseId: string; quantity: number; status: string; expectedAt: number | null }

const placed = EXAMPLE_EVENTS['switchboard.erp.PurchaseOrderPlaced'];

describe('erp-po-to-scm against the real SCM, through the runtime', () => {
  const rig = useConnectorRig('scm', withFastRetries(connector), 'c14');

  const expected = async (sku: string): Promise<ExpectedReceipt[]> => (await callJson(rig.url, 'GET', `/expected-receipts?sku=${sku}`)).body as ExpectedReceipt[];

  beforeAll(async () => {
    expect((await callJson(rig.url, 'POST', '/warehouses', { id: 'WH-BRE', name: 'Bremen' })).status).toBe(201);
    expect((await callJson(rig.url, 'PUT', '/items/SKU-CHAIR-01', { name: 'Chair', reorderPoint: 15, reorderQuantity: 50 })).status).toBe(201);
  });

  it('expects the receipt once although the event comes twice; the goods receipt then closes it and moves stock in', async () => {
    const first = await rig.stack.publish('switchboard.erp.PurchaseOrderPlaced', placed.purchaseOrderNumber, placed);
    await rig.stack.publish('switchboard.erp.PurchaseOrderPlaced', placed.purchaseOrderNumber, placed, { id: first.id });
    const [receipt] = await eventually(async () => {
      const found = await expected('SKU-CHAIR-01');
      return found.length > 0 ? found : undefined;
    }, 30000, 'expected receipt');
    expect(receipt).toEqual(expect.objectContaining({
      purchaseOrderNumber: 'PO-2024-0311', sku: 'SKU-CHAIR-01', warehouseId: 'WH-BRE', quantity: 50, status: 'EXPECTED', expectedAt: placed.expectedAt,
    }));
    // Both copies settled (the second skipped as already applied): still one expected receipt.
    expect(await statsWhen(rig.worker, 'both copies settled', (stats) => stats.delivered + stats.skipped >= 2)).toMatchObject({ delivered: 1, skipped: 1 });
    expect(await expected('SKU-CHAIR-01')).toHaveLength(1);
    expect(await rig.stack.deadLetters.list(connector.name)).toEqual([]);

    const received = await callJson(rig.url, 'POST', '/stock/receipts', { sku: 'SKU-CHAIR-01', warehouseId: 'WH-BRE', quantity: 50, reference: 'PO-2024-0311' });
    expect(received.status).toBeLessThan(300);
    expect(await expected('SKU-CHAIR-01')).toEqual([expect.objectContaining({ purchaseOrderNumber: 'PO-2024-0311', status: 'RECEIVED' })]);
    expect((await callJson(rig.url, 'GET', '/stock/SKU-CHAIR-01')).body).toMatchObject({ onHand: 50, available: 50 });
  });

  it('retries a purchase order for an item the SCM does not know yet (retriable 404), and expects it once the item exists', async () => {
    const before = { ...rig.worker.stats };
    const line = { sku: 'SKU-NEW-5', quantity: 20, unitPrice: null, lineTotal: null };
    await rig.stack.publish('switchboard.erp.PurchaseOrderPlaced', 'PO-9', { ...placed, purchaseOrderNumber: 'PO-9', lines: [line], expectedAt: null });
    const waiting = await statsWhen(rig.worker, 'a retry', (stats) => stats.retried > before.retried);
    expect(waiting.lastError?.code).toBe('SWB_ERR_RUNTIME_MISSING_DEPENDENCY');
    expect(await expected('SKU-NEW-5')).toEqual([]);

    expect((await callJson(rig.url, 'PUT', '/items/SKU-NEW-5', { name: 'New' })).status).toBe(201);
    await eventually(async () => ((await expected('SKU-NEW-5')).length > 0 ? true : undefined), 30000, 'the expected receipt');
    expect(await expected('SKU-NEW-5')).toEqual([expect.objectContaining({ purchaseOrderNumber: 'PO-9', quantity: 20, status: 'EXPECTED', expectedAt: null })]);
    expect(await rig.stack.deadLetters.list(connector.name)).toEqual([]);
  });
});
