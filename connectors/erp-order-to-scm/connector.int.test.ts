import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { useConnectorRig } from '../../tests/support/connector-rig.js';
import { eventually } from '../../tests/support/isolation.js';
import { TargetCallError, getJson, performEvent, sendJson, testEvent } from '../../tests/support/perform-actions.js';
import connector from './connector.js';

interface Shipment { id: string; salesOrderNumber: string; crmOrderId: string; status: string; warehouseId: string }
interface StockLevel { onHand: number; reserved: number; available: number }

const confirmed = EXAMPLE_EVENTS['switchboard.erp.SalesOrderConfirmed'];

describe('erp-order-to-scm against the real SCM', () => {
  const rig = useConnectorRig('scm', connector, 'c5');

  beforeAll(async () => {
    expect((await sendJson(rig.url, 'POST', '/warehouses', { id: 'WH-BRE', name: 'Bremen' })).status).toBe(201);
    for (const sku of ['SKU-CHAIR-01', 'SKU-DESK-02']) {
      expect((await sendJson(rig.url, 'PUT', `/items/${sku}`, { name: sku })).status).toBe(201);
      expect((await sendJson(rig.url, 'POST', '/stock/receipts', { sku, warehouseId: 'WH-BRE', quantity: 10 })).status).toBeLessThan(300);
    }
  });

  const shipments = async (salesOrderNumber: string): Promise<Shipment[]> => (await getJson(rig.url, `/shipments?salesOrderNumber=${salesOrderNumber}`)).body as Shipment[];

  it('reserves stock and creates one shipment per confirmed order, even when the event comes twice (runtime)', async () => {
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
    const chairs = (await getJson(rig.url, '/stock/SKU-CHAIR-01')).body as StockLevel;
    const desks = (await getJson(rig.url, '/stock/SKU-DESK-02')).body as StockLevel;
    expect(chairs).toMatchObject({ onHand: 10, reserved: 4, available: 6 });
    expect(desks).toMatchObject({ onHand: 10, reserved: 3, available: 7 });
    expect(await rig.stack.deadLetters.list(connector.name)).toEqual([]);
  });

  it('gets a retriable 404 from the SCM while an item is not in the item master yet, and applies once it is (performed directly)', async () => {
    const event = testEvent('switchboard.erp.SalesOrderConfirmed', {
      ...confirmed, salesOrderNumber: 'SO-2024-0060', crmOrderId: 'O-60', lines: [{ sku: 'SKU-LAMP-03', quantity: 1, unitPrice: null, lineTotal: null }],
    });
    const refused = await performEvent(connector, event, { baseUrl: rig.url }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TargetCallError);
    expect((refused as TargetCallError).call).toMatchObject({ status: 404, responseBody: { error: { code: 'SWB_ERR_SCM_ITEM_NOT_FOUND', retriable: true } } });

    await sendJson(rig.url, 'PUT', '/items/SKU-LAMP-03', { name: 'Lamp' });
    const applied = await performEvent(connector, event, { baseUrl: rig.url });
    expect(applied.calls[0]?.status).toBe(201);
    expect(applied.xrefPuts).toEqual([{ kind: 'order', ids: { crm: 'O-60', erp: 'SO-2024-0060', scm: (applied.calls[0]?.responseBody as { id: string }).id } }]);
    const repeated = await performEvent(connector, event, { baseUrl: rig.url });
    expect(repeated.calls[0]).toMatchObject({ replayed: true });
    const [backordered] = await shipments('SO-2024-0060');
    expect(backordered?.status).toBe('BACKORDERED');
    expect(await shipments('SO-2024-0060')).toHaveLength(1);
  });
});
