/**
 * End to end: an order that reaches the ERP connector before its customer's ERP account exists
 * is a missing dependency. It is retried and parked, never dropped nor dead-lettered, and
 * arrives exactly once when the account does. The system starts with every connector except
 * crm-customer-to-erp (flow 1), which a second worker starts later.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { CONNECTORS } from '../../connectors/index.js';
import { startSystem, withSystemLog, type RunningSystem } from '../kit/system.js';
import { deadLetterCounts, parkedCount } from '../kit/system-bus.js';
import { Systems, steps, type CrmCustomer } from '../kit/system-clients.js';

jest.setTimeout(300_000);

const CONNECTOR_NAMES = CONNECTORS.map((connector) => connector.name);

const FLOW_1 = 'crm-customer-to-erp';
let system: RunningSystem;
let sys: Systems;

beforeAll(async () => {
  system = await startSystem({ connectors: CONNECTORS.map((c) => c.name).filter((name) => name !== FLOW_1) });
  // Parked events come back after a backoff of up to a minute; allow for two rounds.
  sys = new Systems(system, 150_000);
  await sys.warehouse('WH-LATE');
}, 240_000);

afterAll(async () => {
  await system?.stop();
}, 120_000);

describe('an order placed before its customer has an ERP account', () => {
  it('is parked, not dead-lettered, and confirmed exactly once after the account is opened', () => withSystemLog(system, async () => {
    await sys.product('LATE-A', '10.00');
    await sys.receive('LATE-A', 'WH-LATE', 20);
    const customer = await sys.customer('Early Bird', 'SMB', false);
    const orders = [
      await sys.placeOrder(customer.id, [{ sku: 'LATE-A', quantity: 2 }]),
      await sys.placeOrder(customer.id, [{ sku: 'LATE-A', quantity: 3 }]),
    ];

    // Flow 4 tried, retried and parked both orders in its retry topic...
    await sys.until('crm-order-to-erp to park the orders', async () => ((await parkedCount(system.prefix, 'crm-order-to-erp')) >= orders.length ? true : undefined), 60_000);
    // ...and nothing reached the ERP or the dead-letter topic.
    expect(await sys.erp.find(`/accounts/${customer.id}`)).toBeUndefined();
    for (const order of orders) {
      expect(await sys.salesOrders(order.id)).toEqual([]);
      expect((await sys.crm.get<{ status: string }>(`/orders/${order.id}`)).status).toBe('PLACED');
    }
    expect(await deadLetterCounts(system.prefix, CONNECTOR_NAMES)).toEqual({});

    await system.startWorker([FLOW_1]);

    const withAccount = await sys.until(`the ERP account of ${customer.id} in the CRM`, async () => {
      const c = await sys.crm.get<CrmCustomer>(`/customers/${customer.id}`);
      return c.erpAccountNumber ? c : undefined;
    });
    for (const order of orders) {
      const confirmed = await sys.orderWhen(order.id, 'CONFIRMED', (o) => o.status === 'CONFIRMED');
      expect(steps(confirmed)).toEqual(['PLACED', 'CONFIRMED']);
      const salesOrders = await sys.salesOrders(order.id);
      expect(salesOrders).toEqual([expect.objectContaining({ salesOrderNumber: confirmed.erpOrderNumber, accountNumber: withAccount.erpAccountNumber, status: 'CONFIRMED' })]);
      // The rest of the chain runs on: one shipment per order.
      await sys.shipmentWhen(confirmed.erpOrderNumber ?? '', 'READY');
      expect(await sys.shipments(confirmed.erpOrderNumber ?? '')).toHaveLength(1);
    }
    expect(await sys.erp.get<{ accountNumber: string }>(`/accounts/${customer.id}`)).toMatchObject({ accountNumber: withAccount.erpAccountNumber });
    expect(await deadLetterCounts(system.prefix, CONNECTOR_NAMES)).toEqual({});
  }));
});
