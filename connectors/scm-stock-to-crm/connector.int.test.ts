import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { callJson, eventually, statsWhen, useConnectorRig } from '../../tests/kit/index.js';
import connector from './connector.js';

const moved = EXAMPLE_EVENTS['switchboard.scm.StockMoved'];

describe('scm-stock-to-crm against the real CRM, through the runtime', () => {
  const rig = useConnectorRig('crm', connector, 'c8');

  const product = async (sku: string): Promise<{ status: number; body: { name?: string; available?: number | null } }> =>
    (await callJson(rig.url, 'GET', `/products/${sku}`)) as { status: number; body: { name?: string; available?: number | null } };

  it('shows the newest total availability, and a redelivered older event does not overwrite it', async () => {
    expect((await callJson(rig.url, 'PUT', '/products/SKU-CHAIR-01', { name: 'Chair', unitPrice: { amount: '149.90', currency: 'EUR' } })).status).toBe(201);
    const first = await rig.stack.publish('switchboard.scm.StockMoved', moved.sku, moved);
    await eventually(async () => ((await product('SKU-CHAIR-01')).body.available === 14 ? true : undefined), 30000, 'availability 14');
    await rig.stack.publish('switchboard.scm.StockMoved', moved.sku, { ...moved, movementId: 'MV-2', quantity: 5, reserved: 15, totalAvailable: 9 });
    // The first event once more (same ce_id), after the newer one: it must change nothing.
    await rig.stack.publish('switchboard.scm.StockMoved', moved.sku, moved, { id: first.id });
    await eventually(async () => ((await product('SKU-CHAIR-01')).body.available === 9 ? true : undefined), 30000, 'availability 9');
    // All three settled: the redelivered first event was skipped, so 9 stays.
    expect(await statsWhen(rig.worker, 'three records settled', (stats) => stats.delivered + stats.skipped >= 3)).toMatchObject({ delivered: 2, skipped: 1 });
    expect((await product('SKU-CHAIR-01')).body).toMatchObject({ name: 'Chair', available: 9 });
    expect(await rig.stack.deadLetters.list(connector.name)).toEqual([]);
  });

  it('lists a SKU the catalogue does not know yet (its name follows from the ERP) and clamps negative availability to 0', async () => {
    await rig.stack.publish('switchboard.scm.StockMoved', 'SKU-LATE-1', { ...moved, sku: 'SKU-LATE-1', totalAvailable: -3 });
    const listed = await eventually(async () => {
      const answer = await product('SKU-LATE-1');
      return answer.status === 200 ? answer.body : undefined;
    }, 30000, 'SKU-LATE-1 in the catalogue');
    expect(listed).toMatchObject({ available: 0 });
    expect(await rig.stack.deadLetters.list(connector.name)).toEqual([]);
  });
});
