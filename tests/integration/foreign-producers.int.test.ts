/**
 * Events from producers Switchboard did not write (docs/foreign-producers.md): Confluent's
 * Python client publishes with the schemas of our registry, once with CloudEvents headers but no
 * Switchboard flow headers (the dead-lettered OrderPlaced of issue 12), once with no headers at
 * all on a topic that accepts that. The catalogue's own connectors apply them.
 */
import { randomUUID } from 'node:crypto';
import crmOrderToErp from '../../connectors/crm-order-to-erp/connector.js';
import erpProductToCrm from '../../connectors/erp-product-to-crm/connector.js';
import { loadBusConfig } from '../../hub/bus/index.js';
import { ERRORS } from '../../hub/errors/index.js';
import { derivedEventId } from '../../hub/runtime/event-id.js';
import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { eventSchema } from '../../schemas/schema-catalog.js';
import { eventually, produceWithConfluentPython, RecordingTarget, startKitStack, statsWhen, withFastRetries, type ForeignRecord, type KitStack } from '../kit/index.js';

const placed = EXAMPLE_EVENTS['switchboard.crm.OrderPlaced'];
const priceChanged = EXAMPLE_EVENTS['switchboard.erp.PriceChanged'];

describe('events published with Confluent\'s Python client', () => {
  let target: RecordingTarget;
  let stack: KitStack;

  beforeAll(async () => {
    target = await RecordingTarget.start({ respond: ({ id }) => ({ salesOrderNumber: `SO-${id}` }) });
    stack = await startKitStack({ label: 'foreign', systemUrls: { erp: target.url, crm: target.url } });
    // What the CRM's and the ERP's outboxes would have registered.
    for (const type of ['switchboard.crm.OrderPlaced', 'switchboard.erp.PriceChanged'] as const) await stack.codec.prepare(eventSchema(type).subject(stack.prefix));
    await stack.services.xref.put('customer', { crm: placed.customerId, erp: '100045' });
  }, 300_000);
  afterAll(async () => {
    await stack?.close();
    await target?.close();
  });

  const record = (type: 'switchboard.crm.OrderPlaced' | 'switchboard.erp.PriceChanged', key: string, value: unknown, headers?: Record<string, string>): ForeignRecord => ({
    topic: eventSchema(type).topicName(stack.prefix), subject: eventSchema(type).subject(stack.prefix), key, value, ...(headers ? { headers } : {}),
  });
  const produce = (...records: ForeignRecord[]) => produceWithConfluentPython({ bootstrap: loadBusConfig().brokers.join(','), registry: stack.registryUrl, records });

  it('applies an OrderPlaced with CloudEvents headers but no correlation id: a new correlation starts from its ce_id', async () => {
    const worker = await stack.startWorker(withFastRetries(crmOrderToErp));
    const ceId = randomUUID();
    await produce(record('switchboard.crm.OrderPlaced', 'O-PY-1', { ...placed, orderId: 'O-PY-1' }, {
      ce_specversion: '1.0', ce_id: ceId, ce_source: 'legacy-shop', ce_type: 'crm.order.OrderPlaced', ce_time: new Date().toISOString(), 'content-type': 'application/avro',
    }));
    const [call] = await eventually(() => {
      const calls = target.effectsOn('/sales-orders').filter((c) => (c.body as { crmOrderId?: string }).crmOrderId === 'O-PY-1');
      return calls.length > 0 ? calls : undefined;
    }, 60_000, 'the sales order in the ERP');
    expect(call).toMatchObject({ idempotencyKey: `crm-order-to-erp:${ceId}`, correlationId: ceId });
    expect(worker.stats.deadLettered).toBe(0);
    await worker.stop();
  });

  it('applies a record with no headers at all on a topic that accepts them: its type from the schema, its id from topic, partition and offset, kept through parking', async () => {
    const worker = await stack.startWorker(withFastRetries(erpProductToCrm));
    const path = '/products/SKU-PY-1';
    // Five failed attempts park the event; it comes back from the retry topic and is applied.
    target.failNext(6, 503, path);
    await produce(record('switchboard.erp.PriceChanged', 'SKU-PY-1', { ...priceChanged, sku: 'SKU-PY-1' }));
    await eventually(() => (target.effectsOn(path).length === 1 ? true : undefined), 60_000, 'the price in the CRM');
    const topic = eventSchema('switchboard.erp.PriceChanged').topicName(stack.prefix);
    const [written] = (await stack.bus.readTopicToEnd(topic)).filter((r) => r.key?.toString() === 'SKU-PY-1');
    expect(written.headers).toEqual({});
    const id = derivedEventId(`${topic}:${written.partition}:${written.offset}`);
    const calls = target.calls.filter((c) => c.path === path);
    expect(calls.length).toBe(7);
    expect(new Set(calls.map((c) => c.idempotencyKey))).toEqual(new Set([`erp-product-to-crm:${id}`]));
    expect(target.effectsOn(path)[0]).toMatchObject({ correlationId: id, body: { unitPrice: priceChanged.unitPrice } });
    const stats = await statsWhen(worker, 'the price delivered after parking', (s) => s.delivered >= 1 && s.parked >= 1);
    expect(stats.deadLettered).toBe(0);
    await worker.stop();
  });

  it('dead-letters a record with no headers on a topic that does not accept them', async () => {
    const worker = await stack.startWorker(withFastRetries(crmOrderToErp));
    await produce(record('switchboard.crm.OrderPlaced', 'O-PY-2', { ...placed, orderId: 'O-PY-2' }));
    await statsWhen(worker, 'the plain record dead-lettered', (s) => s.deadLettered >= 1);
    const letters = await stack.deadLetters.list(crmOrderToErp.name);
    expect(letters.find((letter) => letter.key === 'O-PY-2')).toMatchObject({ errorCode: ERRORS.RUNTIME_INVALID_RECORD.code, errorMessage: expect.stringContaining('ce_specversion') });
    expect(target.effectsOn('/sales-orders').filter((c) => (c.body as { crmOrderId?: string }).crmOrderId === 'O-PY-2')).toEqual([]);
    await worker.stop();
  });
});
