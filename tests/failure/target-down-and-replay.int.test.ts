/**
 * Failure tests on one running system: a dead letter replayed after its cause is fixed in the
 * target is applied exactly once (and a second replay changes nothing), and a target service
 * down for half a minute loses nothing: its events are retried, parked on the retry topic and
 * applied once it is back, none dead-lettered.
 */
import { jest } from '@jest/globals';
import { readWorkerStatuses } from '../../hub/runtime/status.js';
import { INTERNAL_TOPICS } from '../../catalogue/index.js';
import { eventually } from '../kit/isolation.js';
import { expectEachOrderOnce, placeOrders, seedCustomersWithAccounts, useFailureSystem } from '../kit/failure-rig.js';
import { callJson, serviceClient } from '../kit/http.js';

jest.setTimeout(360000);

const CUSTOMER_CONNECTOR = 'crm-customer-to-erp';
const ORDER_CONNECTOR = 'crm-order-to-erp';
const PO_CONNECTOR = 'erp-po-to-scm';

const rig = useFailureSystem({ connectors: [CUSTOMER_CONNECTOR, ORDER_CONNECTOR, PO_CONNECTOR] });

interface ExpectedReceipt { purchaseOrderNumber: string; warehouseId: string; quantity: number }

async function skippedBy(connector: string): Promise<number> {
  const statuses = await readWorkerStatuses(rig.bus.redis, rig.system.prefix, connector);
  return statuses.reduce((sum, status) => sum + status.stats.skipped, 0);
}

it('applies a dead letter once when it is replayed after the cause is fixed, and a second replay changes nothing', rig.diagnosed(async ({ system, bus }) => {
  const tag = Date.now().toString(36).toUpperCase();
  const sku = `SKU-DLQ-${tag}`;
  const warehouseId = `WH-LATE-${tag}`;
  await serviceClient(system.urls.erp).post('/products', { sku, name: 'Replayed widget', unitPrice: { amount: '12.00', currency: 'EUR' }, standardCost: { amount: '7.00', currency: 'EUR' } });
  await serviceClient(system.urls.scm).put(`/items/${sku}`, { name: 'Replayed widget' });
  // The SCM has no such warehouse: it answers 404 without `retriable`, so the event is dead-lettered at once.
  const po = await serviceClient(system.urls.erp).post<{ purchaseOrderNumber: string }>('/purchase-orders', { sku, quantity: 25, warehouseId });

  const letter = await eventually(async () => (await bus.deadLettersOf(PO_CONNECTOR)).find((candidate) => candidate.key === po.purchaseOrderNumber), 90000, `the dead letter of ${po.purchaseOrderNumber}`);
  expect(letter).toMatchObject({ errorCode: 'SWB_ERR_RUNTIME_TARGET_REJECTED', status: 'open', originalTopic: `${system.prefix}erp.purchase-order.v1` });
  expect(letter.errorMessage).toMatch(/404/);
  expect(await serviceClient(system.urls.scm).get<ExpectedReceipt[]>(`/expected-receipts?sku=${sku}`)).toEqual([]);

  // Fix the cause in the target, then replay.
  await serviceClient(system.urls.scm).post('/warehouses', { id: warehouseId, name: 'Late warehouse' });
  await bus.deadLetters.replay(PO_CONNECTOR, letter.id);
  const receipts = await eventually(async () => {
    const found = await serviceClient(system.urls.scm).get<ExpectedReceipt[]>(`/expected-receipts?sku=${sku}`);
    return found.length > 0 ? found : undefined;
  }, 90000, 'the expected receipt of the replayed purchase order');
  expect(receipts).toEqual([expect.objectContaining({ purchaseOrderNumber: po.purchaseOrderNumber, warehouseId, quantity: 25 })]);
  expect((await bus.deadLettersOf(PO_CONNECTOR)).find((candidate) => candidate.id === letter.id)?.status).toBe('replayed');

  // A second replay reaches the worker, which recognises the applied idempotency key and skips it.
  const skippedBefore = await skippedBy(PO_CONNECTOR);
  await bus.deadLetters.replay(PO_CONNECTOR, letter.id);
  await eventually(async () => ((await skippedBy(PO_CONNECTOR)) > skippedBefore ? true : undefined), 90000, 'the second replay to be skipped');
  expect(await serviceClient(system.urls.scm).get<ExpectedReceipt[]>(`/expected-receipts?sku=${sku}`)).toEqual([expect.objectContaining({ purchaseOrderNumber: po.purchaseOrderNumber })]);
  // Nothing else went to the dead-letter topic meanwhile.
  expect((await bus.deadLettersOf(PO_CONNECTOR)).map((candidate) => candidate.id)).toEqual([letter.id]);
}));

it('retries and parks the events of a target that is down for half a minute, and applies each once when it is back, none dead-lettered', rig.diagnosed(async ({ system, bus }) => {
  const customers = await seedCustomersWithAccounts(system, 3, 'down');

  await system.stopService('erp');
  const downAt = Date.now();
  const orders = await placeOrders(system, customers, 40, 4);
  // A customer created while the ERP is away: its account, and then its orders, wait too.
  const late = await serviceClient(system.urls.crm).post<{ id: string }>('/customers', {
    name: 'Late customer', email: 'late@example.com', segment: 'SMB', billingAddress: { line1: 'Ring 2', city: 'Hamburg', postalCode: '20095', country: 'DE' },
  });
  orders.push(...(await placeOrders(system, [late.id], 3, 1)));

  // The worker gave up trying in-process and parked events on the connector's retry topic.
  await eventually(async () => {
    const parked = await bus.bus.readTopicToEnd(`${system.prefix}${INTERNAL_TOPICS.retry(ORDER_CONNECTOR)}`);
    return parked.length > 0 ? true : undefined;
  }, 60000, 'events of crm-order-to-erp parked on its retry topic');
  const rest = 30000 - (Date.now() - downAt);
  if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
  await system.startService('erp');

  const outcome = await expectEachOrderOnce(system, orders, 240000);
  expect(outcome).toEqual({ missing: [], duplicated: [] });
  expect((await callJson(system.urls.erp, 'GET', `/accounts/${late.id}`)).status).toBe(200);
  expect(await bus.deadLettersOf(ORDER_CONNECTOR)).toEqual([]);
  expect(await bus.deadLettersOf(CUSTOMER_CONNECTOR)).toEqual([]);
}));
