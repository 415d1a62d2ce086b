import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { useConnectorRig } from '../../tests/support/connector-rig.js';
import { eventually } from '../../tests/support/isolation.js';
import { getJson, performEvent, sendJson, testEvent } from '../../tests/support/perform-actions.js';
import connector from './connector.js';

const moved = EXAMPLE_EVENTS['switchboard.scm.StockMoved'];

describe('scm-stock-to-crm against the real CRM, through the runtime', () => {
  const rig = useConnectorRig('crm', connector, 'c8');

  const product = async (sku: string): Promise<{ status: number; body: { name?: string; available?: number | null } }> =>
    (await getJson(rig.url, `/products/${sku}`)) as { status: number; body: { name?: string; available?: number | null } };

  it('shows the newest total availability, and a redelivered older event does not overwrite it', async () => {
    expect((await sendJson(rig.url, 'PUT', '/products/SKU-CHAIR-01', { name: 'Chair', unitPrice: { amount: '149.90', currency: 'EUR' } })).status).toBe(201);
    const first = await rig.stack.publish('switchboard.scm.StockMoved', moved.sku, moved);
    await eventually(async () => ((await product('SKU-CHAIR-01')).body.available === 14 ? true : undefined), 30000, 'availability 14');
    await rig.stack.publish('switchboard.scm.StockMoved', moved.sku, { ...moved, movementId: 'MV-2', quantity: 5, reserved: 15, totalAvailable: 9 });
    // The first event once more (same ce_id), after the newer one: it must change nothing.
    await rig.stack.publish('switchboard.scm.StockMoved', moved.sku, moved, { id: first.id });
    await eventually(async () => ((await product('SKU-CHAIR-01')).body.available === 9 ? true : undefined), 30000, 'availability 9');
    // The duplicate shares the SKU's key with the 9, so it has been handled once the 9 shows; wait a little more for it anyway.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await product('SKU-CHAIR-01')).body).toMatchObject({ name: 'Chair', available: 9 });
    expect(await rig.stack.deadLetters.list(connector.name)).toEqual([]);
  });

  it('lists a SKU the catalogue does not know yet (its name follows from the ERP) and clamps negative availability to 0', async () => {
    const applied = await performEvent(connector, testEvent('switchboard.scm.StockMoved', { ...moved, sku: 'SKU-LATE-1', totalAvailable: -3 }), { baseUrl: rig.url });
    expect(applied.calls[0]?.status).toBe(200);
    expect((await product('SKU-LATE-1')).body).toMatchObject({ available: 0 });
  });
});
