import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { useConnectorRig } from '../../tests/support/connector-rig.js';
import { eventually } from '../../tests/support/isolation.js';
import { TargetCallError, getJson, performEvent, sendJson, testEvent } from '../../tests/support/perform-actions.js';
import connector from './connector.js';

interface ExpectedReceipt { purchaseOrderNumber: string; sku: string; warehouseId: string; quantity: number; status: string; expectedAt: number | null }

const placed = EXAMPLE_EVENTS['switchboard.erp.PurchaseOrderPlaced'];

describe('erp-po-to-scm against the real SCM, through the runtime', () => {
  const rig = useConnectorRig('scm', connector, 'c14');

  const expected = async (sku: string): Promise<ExpectedReceipt[]> => (await getJson(rig.url, `/expected-receipts?sku=${sku}`)).body as ExpectedReceipt[];

  beforeAll(async () => {
    expect((await sendJson(rig.url, 'POST', '/warehouses', { id: 'WH-BRE', name: 'Bremen' })).status).toBe(201);
    expect((await sendJson(rig.url, 'PUT', '/items/SKU-CHAIR-01', { name: 'Chair', reorderPoint: 15, reorderQuantity: 50 })).status).toBe(201);
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
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await expected('SKU-CHAIR-01')).toHaveLength(1);
    expect(await rig.stack.deadLetters.list(connector.name)).toEqual([]);

    const received = await sendJson(rig.url, 'POST', '/stock/receipts', { sku: 'SKU-CHAIR-01', warehouseId: 'WH-BRE', quantity: 50, reference: 'PO-2024-0311' });
    expect(received.status).toBeLessThan(300);
    expect(await expected('SKU-CHAIR-01')).toEqual([expect.objectContaining({ purchaseOrderNumber: 'PO-2024-0311', status: 'RECEIVED' })]);
    expect((await getJson(rig.url, '/stock/SKU-CHAIR-01')).body).toMatchObject({ onHand: 50, available: 50 });
  });

  it('gets a retriable 404 for an item the SCM does not know yet, and expects it once the item exists', async () => {
    const line = { sku: 'SKU-NEW-5', quantity: 20, unitPrice: null, lineTotal: null };
    const event = testEvent('switchboard.erp.PurchaseOrderPlaced', { ...placed, purchaseOrderNumber: 'PO-9', lines: [line], expectedAt: null });
    const refused = await performEvent(connector, event, { baseUrl: rig.url }).catch((error: unknown) => error);
    expect((refused as TargetCallError).call).toMatchObject({ status: 404, responseBody: { error: { retriable: true } } });
    await sendJson(rig.url, 'PUT', '/items/SKU-NEW-5', { name: 'New' });
    expect((await performEvent(connector, event, { baseUrl: rig.url })).calls[0]?.status).toBe(201);
    expect(await expected('SKU-NEW-5')).toEqual([expect.objectContaining({ purchaseOrderNumber: 'PO-9', quantity: 20, status: 'EXPECTED', expectedAt: null })]);
  });
});
