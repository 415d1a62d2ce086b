import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { callJson, eventually, statsWhen, useConnectorRig, withFastRetries } from '../../tests/kit/index.js';
import connector from './connector.js';

interface Position { onHand: number; reserved: number; available: number; value: { amount: string }; ledger: { movementId: string }[] }

const moved = EXAMPLE_EVENTS['switchboard.scm.StockMoved'];

describe('scm-stock-to-erp against the real ERP, through the runtime', () => {
  const rig = useConnectorRig('erp', withFastRetries(connector), 'c7');

  beforeAll(async () => {
    const created = await callJson(rig.url, 'POST', '/products', {
      sku: 'SKU-CHAIR-01', name: 'Chair', unitPrice: { amount: '149.90', currency: 'EUR' }, standardCost: { amount: '82.15', currency: 'EUR' },
    });
    expect(created.status).toBe(201);
  });

  const position = async (sku: string): Promise<Position> => (await callJson(rig.url, 'GET', `/inventory/${sku}`)).body as Position;

  it('books each movement once in the ledger and values it, even when the event comes twice', async () => {
    const receipt = { ...moved, movementId: 'MV-1', movementType: 'RECEIPT' as const, quantity: 10, reference: 'PO-1', onHand: 10, reserved: 0, totalAvailable: 10 };
    const first = await rig.stack.publish('switchboard.scm.StockMoved', receipt.sku, receipt);
    await rig.stack.publish('switchboard.scm.StockMoved', receipt.sku, receipt, { id: first.id });
    // Same key, so once the later reservation is booked the duplicate has been handled too.
    const reservation = { ...moved, movementId: 'MV-2', quantity: 4, reference: 'SO-1', onHand: 10, reserved: 4, totalAvailable: 6 };
    await rig.stack.publish('switchboard.scm.StockMoved', reservation.sku, reservation);

    const after = await eventually(async () => {
      const current = await position('SKU-CHAIR-01');
      return current.ledger.length >= 2 ? current : undefined;
    }, 30000, 'two ledger entries');
    expect(after.ledger.map((entry) => entry.movementId)).toEqual(['MV-1', 'MV-2']);
    expect(after).toMatchObject({ onHand: 10, reserved: 4, available: 6, value: { amount: '821.50' } });
    expect(await rig.stack.deadLetters.list(connector.name)).toEqual([]);
  });

  it('retries a movement of a SKU the ERP does not know yet (retriable 404), and books it once, when the product exists', async () => {
    const before = { ...rig.worker.stats };
    const receipt = { ...moved, sku: 'SKU-NEW-9', movementId: 'MV-9', movementType: 'RECEIPT' as const, quantity: 5 };
    const first = await rig.stack.publish('switchboard.scm.StockMoved', receipt.sku, receipt);
    await rig.stack.publish('switchboard.scm.StockMoved', receipt.sku, receipt, { id: first.id });
    const waiting = await statsWhen(rig.worker, 'a retry', (stats) => stats.retried > before.retried);
    expect(waiting.lastError?.code).toBe('SWB_ERR_RUNTIME_MISSING_DEPENDENCY');

    expect((await callJson(rig.url, 'POST', '/products', { sku: 'SKU-NEW-9', name: 'New', unitPrice: { amount: '10.00', currency: 'EUR' } })).status).toBe(201);
    await eventually(async () => ((await position('SKU-NEW-9')).ledger.length > 0 ? true : undefined), 30000, 'the booking');
    await statsWhen(rig.worker, 'the duplicate skipped', (stats) => stats.skipped > before.skipped);
    expect((await position('SKU-NEW-9')).ledger).toHaveLength(1);
    expect((await position('SKU-NEW-9')).onHand).toBe(5);
    expect(await rig.stack.deadLetters.list(connector.name)).toEqual([]);
  });
});
