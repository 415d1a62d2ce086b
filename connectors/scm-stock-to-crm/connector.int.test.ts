import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCrmApp, type CrmService } from '../../services/crm/app.js';
import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { startKitStack, type KitStack } from '../../tests/kit/kit-stack.js';
import { eventually } from '../../tests/support/isolation.js';
import { getJson, performEvent, sendJson, testEvent } from '../../tests/support/perform-actions.js';
import connector from './connector.js';

const moved = EXAMPLE_EVENTS['switchboard.scm.StockMoved'];

describe('scm-stock-to-crm against the real CRM, through the runtime', () => {
  let dir: string;
  let crm: CrmService;
  let crmUrl: string;
  let stack: KitStack;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'swb-c8-'));
    crm = await createCrmApp({ dbPath: join(dir, 'crm.db'), docsUi: false });
    crmUrl = await crm.app.listen({ port: 0, host: '127.0.0.1' });
    stack = await startKitStack({ label: 'c8', targetUrls: { crm: crmUrl } });
    await stack.startWorker(connector);
  });
  afterAll(async () => {
    await stack?.close();
    await crm?.app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const product = async (sku: string): Promise<{ status: number; body: { name?: string; available?: number | null } }> =>
    (await getJson(crmUrl, `/products/${sku}`)) as { status: number; body: { name?: string; available?: number | null } };

  it('shows the newest total availability, and a redelivered older event does not overwrite it', async () => {
    expect((await sendJson(crmUrl, 'PUT', '/products/SKU-CHAIR-01', { name: 'Chair', unitPrice: { amount: '149.90', currency: 'EUR' } })).status).toBe(201);
    const first = await stack.publish('switchboard.scm.StockMoved', moved.sku, moved);
    await eventually(async () => ((await product('SKU-CHAIR-01')).body.available === 14 ? true : undefined), 30000, 'availability 14');
    await stack.publish('switchboard.scm.StockMoved', moved.sku, { ...moved, movementId: 'MV-2', quantity: 5, reserved: 15, totalAvailable: 9 });
    // The first event once more (same ce_id), after the newer one: it must change nothing.
    await stack.publish('switchboard.scm.StockMoved', moved.sku, moved, { id: first.id });
    await eventually(async () => ((await product('SKU-CHAIR-01')).body.available === 9 ? true : undefined), 30000, 'availability 9');
    // The duplicate shares the SKU's key with the 9, so it has been handled once the 9 shows; wait a little more for it anyway.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await product('SKU-CHAIR-01')).body).toMatchObject({ name: 'Chair', available: 9 });
    expect(await stack.deadLetters.list(connector.name)).toEqual([]);
  });

  it('lists a SKU the catalogue does not know yet (its name follows from the ERP) and clamps negative availability to 0', async () => {
    const applied = await performEvent(connector, testEvent('switchboard.scm.StockMoved', { ...moved, sku: 'SKU-LATE-1', totalAvailable: -3 }), { baseUrl: crmUrl });
    expect(applied.calls[0]?.status).toBe(200);
    expect((await product('SKU-LATE-1')).body).toMatchObject({ available: 0 });
  });
});
