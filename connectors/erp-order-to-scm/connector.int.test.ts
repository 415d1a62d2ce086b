import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { callJson, eventually, statsWhen, useConnectorRig, withFastRetries } from '../../tests/kit/index.js';
import { loadDeclarativeConnector } from '../../hub/declarative/index.js';

const connector = loadDeclarativeConnector(new URL('./connector.yaml', import.meta.url));

interface Shipment { id: string; salesOrderNumber: string; crmOrderId: string; status: string; warehouseId: string }
interface StockLevel { onHand: number; reserved: number; available: number }

const confirmed = EXAMPLE_EVENTS['switchboard.erp.SalesOrderConfirmed'];

describe('erp-order-to-scm against the real SCM, through the runtime', () => {
  const rig = useConnectorRig('scm', withFastRetries(connector), 'c5');

  beforeAll(async () => {
    expect((await callJson(rig.url, 'POST', '/warehouses', { id: 'WH-BRE', name: 'Bremen' })).status).toBe(201);
    for (const sku of ['SKU-CHAIR-01', 'SKU-DESK-02']) {
      expect((await callJson(rig.url, 'PUT', `/items/${sku}`, { name: sku })).status).toBe(201);
      expect((await callJson(rig.url, 'POST', '/stock/receipts', { sku, warehouseId: 'WH-BRE', quantity: 10 })).status).toBeLessThan(300);
    }
  });

  const shipments = async (salesOrderNumber: string): Promise<Shipment[]> => (await callJson(rig.url, 'GET', `/shipments?salesOrderNumber=${salesOrderNumber}`)).body as Shipment[];

  it('reserves stock and creates one shipment per confirmed order, even when the event comes twice', async () => {
    const first = await rig.stack.publish('switchboard.erp.SalesOrderConfirmed', confirmed.crmOrderId, confirmed);
    await rig.stack.publish('switchboard.erp.SalesOrderConfirmed', confirmed.crmOrderId, confirmed, { id: first.id });
    const [shipment] = await eventually(async () => {
      const found = await shipments('SO-2024-0042');
      return found.length > 0 ? found : undefined;
    }, 30000, 'the shipment');
    expect(shipment).toMatchObject({ crmOrderId: 'O-50123', status: 'READY', warehouseId: 'WH-BRE' });
    expect(await eventually(() => rig.stack.services.xref.get('order', 'crm', 'O-50123', 'scm'), 30000, 'the cross-reference')).toBe(shipment?.id);

    // A later event of the same key, applied after the duplicate: then count.
    const second = { ...confirmed, salesOrderNumber: 'SO-2024-0050', lines: [{ sku: 'SKU-DESK-02', quantity: 2, unitPrice: null, lineTotal: null }] };
    await rig.stack.publish('switchboard.erp.SalesOrderConfirmed', confirmed.crmOrderId, second);
    await eventually(async () => ((await shipments('SO-2024-0050')).length > 0 ? true : undefined), 30000, 'the second shipment');
    expect(await shipments('SO-2024-0042')).toHaveLength(1);
    const chairs = (await callJson(rig.url, 'GET', '/stock/SKU-CHAIR-01')).body as StockLevel;
    const desks = (await callJson(rig.url, 'GET', '/stock/SKU-DESK-02')).body as StockLevel;
    expect(chairs).toMatchObject({ onHand: 10, reserved: 4, available: 6 });
    expect(desks).toMatchObject({ onHand: 10, reserved: 3, available: 7 });
    expect(await rig.stack.deadLetters.list(connector.name)).toEqual([]);
  });

  it('retries while an item is not in the SCM item master yet (a 404 the SCM marks retriable), and creates the shipment once it is', async () => {
    const before = { ...rig.worker.stats };
    const value = { ...confirmed, salesOrderNumber: 'SO-2024-0060', crmOrderId: 'O-60', lines: [{ sku: 'SKU-LAMP-03', quantity: 1, unitPrice: null, lineTotal: null }] };
    const first = await rig.stack.publish('switchboard.erp.SalesOrderConfirmed', value.crmOrderId, value);
    await rig.stack.publish('switchboard.erp.SalesOrderConfirmed', value.crmOrderId, value, { id: first.id });
    const waiting = await statsWhen(rig.worker, 'a retry of the order', (stats) => stats.retried > before.retried);
    expect(waiting.lastError).toMatchObject({ code: 'SWB_ERR_RUNTIME_MISSING_DEPENDENCY', eventId: first.id });
    expect(waiting.lastError?.message).toMatch(/answered 404/);
    expect(await shipments('SO-2024-0060')).toEqual([]);

    expect((await callJson(rig.url, 'PUT', '/items/SKU-LAMP-03', { name: 'Lamp' })).status).toBe(201);
    const [backordered] = await eventually(async () => {
      const found = await shipments('SO-2024-0060');
      return found.length > 0 ? found : undefined;
    }, 30000, 'the shipment after the item exists');
    expect(backordered?.status).toBe('BACKORDERED');
    expect(await eventually(() => rig.stack.services.xref.get('order', 'erp', 'SO-2024-0060', 'scm'), 30000, 'the cross-reference')).toBe(backordered?.id);
    // The duplicate was settled after the original (same key): skipped, so still one shipment.
    await statsWhen(rig.worker, 'the duplicate skipped', (stats) => stats.skipped > before.skipped);
    expect(await shipments('SO-2024-0060')).toHaveLength(1);
    expect(await rig.stack.deadLetters.list(connector.name)).toEqual([]);
  });
});
