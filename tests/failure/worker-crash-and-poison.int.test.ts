/**
 * Failure tests on one running system with two worker processes of the CRM-to-ERP
 * connectors: poison records on a source topic (dead-lettered with their reason while the
 * events behind them flow), and a worker killed with SIGKILL mid-stream (every order still
 * becomes exactly one ERP sales order).
 */
import { jest } from '@jest/globals';
import { readWorkerStatuses } from '../../hub/runtime/status.js';
import { topicName, topicSpec } from '../../catalogue/index.js';
import { eventually } from '../kit/isolation.js';
import { expectEachOrderOnce, placeOrders, seedCustomersWithAccounts, useFailureSystem } from '../kit/failure-rig.js';

jest.setTimeout(300000);

const CONNECTORS = ['crm-customer-to-erp', 'crm-order-to-erp'];
const ORDER_CONNECTOR = 'crm-order-to-erp';

const rig = useFailureSystem({ connectors: CONNECTORS, workers: 2 });
let customers: string[];

beforeAll(async () => {
  customers = await seedCustomersWithAccounts(rig.system, 6, 'crash');
}, 240000);

it('dead-letters garbage bytes and an unknown schema id with their reason, while the events after them on the partition still flow', rig.diagnosed(async ({ system, bus }) => {
  const key = `O-POISON-${Date.now().toString(36)}`;
  const garbage = Buffer.from('this is not an Avro message', 'utf8');
  // Magic byte 0 and a schema id the system's registry never issued.
  const unknownSchema = Buffer.concat([Buffer.from([0, 0x7f, 0xff, 0xff, 0xf0]), Buffer.from('payload', 'utf8')]);
  const garbageId = await bus.publishRaw('switchboard.crm.OrderPlaced', key, garbage);
  const unknownId = await bus.publishRaw('switchboard.crm.OrderPlaced', key, unknownSchema);
  // A valid order with the same key, so on the same partition, right behind the poison.
  await bus.publish('switchboard.crm.OrderPlaced', key, {
    orderId: key, customerId: customers[0], lines: [{ sku: 'SKU-P1', quantity: 2 }],
    shipTo: { line1: 'Hauptstrasse 1', city: 'Berlin', postalCode: '10115', country: 'DE' }, placedAt: Date.now(),
  });
  // And orders placed through the CRM afterwards, spread over the topic's partitions.
  const later = await placeOrders(system, customers, 12, 4);

  const outcome = await expectEachOrderOnce(system, [key, ...later], 120000);
  expect(outcome).toEqual({ missing: [], duplicated: [] });

  const letters = await eventually(async () => {
    const found = (await bus.deadLettersOf(ORDER_CONNECTOR)).filter((letter) => letter.key === key);
    return found.length >= 2 ? found : undefined;
  }, 60000, 'two dead letters of the poison records');
  expect(letters).toHaveLength(2);
  const byId = new Map(letters.map((letter) => [letter.eventId, letter]));
  const topic = topicName(topicSpec('crm', 'order'), system.prefix);
  expect(byId.get(garbageId)).toMatchObject({ errorCode: 'SWB_ERR_CODEC_UNDECODABLE', originalTopic: topic, status: 'open', value: garbage });
  expect(byId.get(garbageId)?.errorMessage).toMatch(/magic byte/);
  expect(byId.get(unknownId)).toMatchObject({ errorCode: 'SWB_ERR_SCHEMA_NOT_FOUND', originalTopic: topic, status: 'open', value: unknownSchema });
  expect(byId.get(unknownId)?.errorMessage).not.toBe('');
  // Same key, same partition; the original offsets say where each was.
  const [first, second] = [byId.get(garbageId), byId.get(unknownId)];
  expect(first?.originalPartition).toBe(second?.originalPartition);
  expect(first?.originalPartition).toBeGreaterThanOrEqual(0);
  expect(BigInt(second?.originalOffset ?? '-1')).toBeGreaterThan(BigInt(first?.originalOffset ?? '-1'));
  // The event's own headers are kept, so a replay would be the original record.
  expect(first?.headers).toMatchObject({ ce_id: garbageId, ce_specversion: '1.0' });
}));

it('applies every order exactly once when one of two workers is killed with SIGKILL mid-stream', rig.diagnosed(async ({ system, bus }) => {
  const total = 300;
  const statuses = await eventually(async () => {
    const live = await readWorkerStatuses(bus.redis, system.prefix, ORDER_CONNECTOR);
    return live.length === 2 && live.every((status) => Object.values(status.assignment).flat().length > 0) ? live : undefined;
  }, 60000, 'both workers holding partitions of crm-order-to-erp');
  expect(statuses).toHaveLength(2);

  const victim = system.workers[0];
  // Orders go in while the kill happens: the first third, then the kill once the ERP has
  // started receiving them, then the rest.
  const firstBatch = await placeOrders(system, customers, total / 3, 4);
  await eventually(async () => {
    const orders = (await fetch(`${system.urls.erp}/sales-orders`).then((r) => r.json())) as { crmOrderId: string }[];
    const known = new Set(firstBatch);
    return orders.some((order) => known.has(order.crmOrderId)) ? true : undefined;
  }, 60000, 'the first sales orders of the batch');
  const placing = placeOrders(system, customers, total - firstBatch.length, 4);
  await system.stopProcess(victim, 'SIGKILL');
  const rest = await placing;

  const all = [...firstBatch, ...rest];
  expect(new Set(all).size).toBe(total);
  const outcome = await expectEachOrderOnce(system, all, 180000);
  expect(outcome).toEqual({ missing: [], duplicated: [] });

  // The survivor took over the dead worker's partitions (the dead one's status has expired).
  const partitions = topicSpec('crm', 'order').partitions;
  const survivor = await eventually(async () => {
    const live = await readWorkerStatuses(bus.redis, system.prefix, ORDER_CONNECTOR);
    return live.length === 1 && Object.values(live[0].assignment).flat().length === partitions ? live[0] : undefined;
  }, 60000, 'one worker holding every partition of crm-order-to-erp');
  expect(survivor.pid).toBe(system.workers[1].child.pid);

  // Nothing of the stream was dead-lettered: only the poison records of the test above are there.
  const letters = await bus.deadLettersOf(ORDER_CONNECTOR);
  expect(letters.filter((letter) => !letter.key?.startsWith('O-POISON-'))).toEqual([]);
}));
