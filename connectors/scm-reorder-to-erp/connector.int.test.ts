import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createErpApp, type ErpService } from '../../services/erp/app.js';
import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { startKitStack, type KitStack } from '../../tests/kit/kit-stack.js';
import { eventually } from '../../tests/support/isolation.js';
import { TargetCallError, getJson, performEvent, sendJson, testEvent } from '../../tests/support/perform-actions.js';
import connector from './connector.js';

interface PurchaseOrder { purchaseOrderNumber: string; sku: string; quantity: number; warehouseId: string; status: string; reorderReference: string | null; unitCost: { amount: string } }

const reached = EXAMPLE_EVENTS['switchboard.scm.ReorderPointReached'];

describe('scm-reorder-to-erp against the real ERP, through the runtime', () => {
  let dir: string;
  let erp: ErpService;
  let erpUrl: string;
  let stack: KitStack;

  const purchaseOrders = async (sku: string): Promise<PurchaseOrder[]> => (await getJson(erpUrl, `/purchase-orders?sku=${sku}`)).body as PurchaseOrder[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'swb-c13-'));
    erp = await createErpApp({ dbPath: join(dir, 'erp.db'), docsUi: false });
    erpUrl = await erp.app.listen({ port: 0, host: '127.0.0.1' });
    stack = await startKitStack({ label: 'c13', targetUrls: { erp: erpUrl } });
    await stack.startWorker(connector);
    const created = await sendJson(erpUrl, 'POST', '/products', {
      sku: 'SKU-CHAIR-01', name: 'Chair', unitPrice: { amount: '149.90', currency: 'EUR' }, standardCost: { amount: '82.15', currency: 'EUR' },
    });
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    await stack?.close();
    await erp?.app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('raises one purchase order per reorder signal, even when the signal comes twice', async () => {
    const first = await stack.publish('switchboard.scm.ReorderPointReached', reached.sku, reached);
    await stack.publish('switchboard.scm.ReorderPointReached', reached.sku, reached, { id: first.id });
    const [order] = await eventually(async () => {
      const found = await purchaseOrders('SKU-CHAIR-01');
      return found.length > 0 ? found : undefined;
    }, 30000, 'purchase order');
    expect(order).toMatchObject({ sku: 'SKU-CHAIR-01', quantity: 50, warehouseId: 'WH-BRE', status: 'PLACED', reorderReference: 'SKU-CHAIR-01@WH-BRE', unitCost: { amount: '82.15' } });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await purchaseOrders('SKU-CHAIR-01')).toHaveLength(1);
    expect(await stack.deadLetters.list(connector.name)).toEqual([]);
  });

  it('gets a retriable 404 for a SKU the ERP does not know yet, and orders it once the product exists', async () => {
    const event = testEvent('switchboard.scm.ReorderPointReached', { ...reached, sku: 'SKU-NEW-7' });
    const refused = await performEvent(connector, event, { baseUrl: erpUrl }).catch((error: unknown) => error);
    expect((refused as TargetCallError).call).toMatchObject({ status: 404, responseBody: { error: { retriable: true } } });
    await sendJson(erpUrl, 'POST', '/products', { sku: 'SKU-NEW-7', name: 'New', unitPrice: { amount: '10.00', currency: 'EUR' } });
    expect((await performEvent(connector, event, { baseUrl: erpUrl })).calls[0]?.status).toBe(201);
    expect((await performEvent(connector, event, { baseUrl: erpUrl })).calls[0]?.replayed).toBe(true);
    expect(await purchaseOrders('SKU-NEW-7')).toHaveLength(1);
  });
});
