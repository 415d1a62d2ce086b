import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectorWorker } from '../../hub/runtime/connector-worker.js';
import { createCrmApp, type CrmService } from '../../services/crm/app.js';
import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { startKitStack, type KitStack } from '../../tests/kit/kit-stack.js';
import { eventually } from '../../tests/support/isolation.js';
import { getJson, sendJson } from '../../tests/support/perform-actions.js';
import connector from './connector.js';

interface Order { id: string; status: string; erpOrderNumber: string | null; rejection: { reasonCode: string; message: string | null } | null; timeline: { status: string }[] }

const confirmed = EXAMPLE_EVENTS['switchboard.erp.SalesOrderConfirmed'];
const rejected = EXAMPLE_EVENTS['switchboard.erp.SalesOrderRejected'];

describe('erp-order-to-crm against the real CRM, through the runtime', () => {
  let dir: string;
  let crm: CrmService;
  let crmUrl: string;
  let stack: KitStack;
  let customerId: string;
  let worker: ConnectorWorker;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'swb-c6-'));
    crm = await createCrmApp({ dbPath: join(dir, 'crm.db'), docsUi: false });
    crmUrl = await crm.app.listen({ port: 0, host: '127.0.0.1' });
    const customer = await sendJson(crmUrl, 'POST', '/customers', {
      name: 'Nordlicht Möbel GmbH', email: 'einkauf@nordlicht-moebel.de', segment: 'SMB',
      billingAddress: { line1: 'Hafenstraße 12', city: 'Hamburg', postalCode: '20457', country: 'DE' },
    });
    expect(customer.status).toBe(201);
    customerId = (customer.body as { id: string }).id;
    stack = await startKitStack({ label: 'c6', targetUrls: { crm: crmUrl } });
    worker = await stack.startWorker(connector);
  });
  afterAll(async () => {
    await stack?.close();
    await crm?.app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const placeOrder = async (): Promise<string> => {
    const order = await sendJson(crmUrl, 'POST', '/orders', { customerId, lines: [{ sku: 'SKU-CHAIR-01', quantity: 4 }] });
    expect(order.status).toBe(201);
    return (order.body as { id: string }).id;
  };
  const order = async (id: string): Promise<Order> => (await getJson(crmUrl, `/orders/${id}`)).body as Order;

  it('shows a confirmed order as CONFIRMED with the ERP order number, once, even when the event comes twice', async () => {
    const id = await placeOrder();
    const value = { ...confirmed, crmOrderId: id, crmCustomerId: customerId };
    const first = await stack.publish('switchboard.erp.SalesOrderConfirmed', id, value);
    await stack.publish('switchboard.erp.SalesOrderConfirmed', id, value, { id: first.id });
    const shown = await eventually(async () => {
      const current = await order(id);
      return current.status === 'CONFIRMED' ? current : undefined;
    }, 30000, 'CONFIRMED');
    expect(shown.erpOrderNumber).toBe('SO-2024-0042');
    // Once the worker has handled both copies, the order still shows one CONFIRMED step.
    await eventually(() => (worker.stats.delivered + worker.stats.skipped >= 2 ? true : undefined), 30000, 'both copies handled');
    expect(worker.stats.delivered).toBe(1);
    expect((await order(id)).timeline.filter((step) => step.status === 'CONFIRMED')).toHaveLength(1);
  });

  it('shows a rejected order as REJECTED with reason code and message', async () => {
    const id = await placeOrder();
    await stack.publish('switchboard.erp.SalesOrderRejected', id, { ...rejected, crmOrderId: id, crmCustomerId: customerId, salesOrderNumber: 'SO-9' });
    const shown = await eventually(async () => {
      const current = await order(id);
      return current.status === 'REJECTED' ? current : undefined;
    }, 30000, 'REJECTED');
    expect(shown).toMatchObject({ erpOrderNumber: 'SO-9', rejection: { reasonCode: 'CREDIT_HOLD', message: 'Account 100012 is on credit hold' } });
    expect(await stack.deadLetters.list(connector.name)).toEqual([]);
  });
});
