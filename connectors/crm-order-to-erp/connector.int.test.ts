import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { callJson, eventually, statsWhen, useConnectorRig, withFastRetries } from '../../tests/kit/index.js';
import connector from './connector.js';

interface SalesOrder { salesOrderNumber: string; crmOrderId: string; accountNumber: string; status: string; total: { amount: string } }

const placed = EXAMPLE_EVENTS['switchboard.crm.OrderPlaced'];
const cancelled = EXAMPLE_EVENTS['switchboard.crm.OrderCancelled'];

// Short backoff, so the "account arrives later" case parks and retries within seconds.
const fast = withFastRetries(connector);

describe('crm-order-to-erp against the real ERP, through the runtime', () => {
  const rig = useConnectorRig('erp', fast, 'c4');

  beforeAll(async () => {
    for (const [sku, amount] of [['SKU-CHAIR-01', '149.90'], ['SKU-DESK-02', '1249.00']] as const) {
      expect((await callJson(rig.url, 'POST', '/products', { sku, name: sku, unitPrice: { amount, currency: 'EUR' } })).status).toBe(201);
    }
  });

  const salesOrders = async (crmOrderId: string): Promise<SalesOrder[]> => (await callJson(rig.url, 'GET', `/sales-orders?crmOrderId=${crmOrderId}`)).body as SalesOrder[];

  it('holds an order placed before its customer has an ERP account, and creates the sales order once, when the account exists', async () => {
    const first = await rig.stack.publish('switchboard.crm.OrderPlaced', placed.orderId, placed);
    await rig.stack.publish('switchboard.crm.OrderPlaced', placed.orderId, placed, { id: first.id });

    // Missing dependency: the runtime retried it and parked it in the retry topic; nothing applied, nothing dead-lettered.
    const waiting = await statsWhen(rig.worker, 'the order parked', (stats) => stats.parked >= 1);
    expect(waiting).toMatchObject({ delivered: 0, deadLettered: 0, lastError: { code: 'SWB_ERR_RUNTIME_MISSING_DEPENDENCY' } });
    expect(await salesOrders(placed.orderId)).toEqual([]);
    expect(await rig.stack.deadLetters.list(connector.name)).toEqual([]);

    // Flow 1 opens the account and records the cross-reference.
    const account = await callJson(rig.url, 'PUT', '/accounts/C-1017', { name: 'Nordlicht Möbel GmbH', segment: 'SMB' });
    expect(account.status).toBe(201);
    const accountNumber = (account.body as { accountNumber: string }).accountNumber;
    await rig.stack.services.xref.put('customer', { crm: 'C-1017', erp: accountNumber });

    const [order] = await eventually(async () => {
      const found = await salesOrders(placed.orderId);
      return found.length > 0 ? found : undefined;
    }, 40000, 'the sales order');
    expect(order).toMatchObject({ crmOrderId: 'O-50123', accountNumber, status: 'CONFIRMED', total: { amount: '1848.60' } });
    expect(await eventually(() => rig.stack.services.xref.get('order', 'crm', 'O-50123', 'erp'), 30000, 'the order cross-reference')).toBe(order?.salesOrderNumber);
  });

  it('cancels the sales order of a cancelled order; the duplicate order before it changed nothing', async () => {
    await rig.stack.publish('switchboard.crm.OrderCancelled', placed.orderId, { ...cancelled, orderId: placed.orderId, reason: 'Customer changed their mind' });
    const [order] = await eventually(async () => {
      const found = await salesOrders(placed.orderId);
      return found[0]?.status === 'CANCELLED' ? found : undefined;
    }, 30000, 'the cancellation');
    expect(order?.crmOrderId).toBe('O-50123');
    expect(await salesOrders(placed.orderId)).toHaveLength(1);
    const events = rig.service.db.prepare("SELECT event_type AS type FROM outbox WHERE topic_aggregate = 'sales-order' ORDER BY seq").all() as { type: string }[];
    expect(events.map((event) => event.type)).toEqual(['SalesOrderConfirmed', 'SalesOrderCancelled']);
    expect(await rig.stack.deadLetters.list(connector.name)).toEqual([]);
  });
});
