/**
 * Tracing end to end: the whole system as child processes exporting spans over OTLP/HTTP to an
 * in-process receiver. One order placed in the CRM is one trace through the CRM, the worker,
 * the ERP's confirmation, the SCM's shipment and the CRM's updates, with the messaging and
 * HTTP semantic conventions on its spans.
 */
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import { startOtlpReceiver, SPAN_KIND, type OtlpReceiver, type ReceivedSpan } from '../kit/otlp-receiver.js';
import { startSystem, withSystemLog, type RunningSystem } from '../kit/system.js';
import { Systems } from '../kit/system-clients.js';
import { eventually } from '../kit/isolation.js';

jest.setTimeout(300_000);

let receiver: OtlpReceiver;
let system: RunningSystem;
let sys: Systems;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  system = await startSystem({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '200' } });
  sys = new Systems(system);
}, 240_000);

afterAll(async () => {
  await system?.stop();
  await receiver?.close();
}, 120_000);

/** The one span of `spans` that is a child of `parent` and matches `test`; fails naming what was missing. */
function childOf(spans: readonly ReceivedSpan[], parent: ReceivedSpan, what: string, test: (span: ReceivedSpan) => boolean): ReceivedSpan {
  const found = spans.filter((span) => span.parentSpanId === parent.spanId && test(span));
  if (found.length !== 1) {
    const children = spans.filter((span) => span.parentSpanId === parent.spanId).map((span) => `${span.service}:${span.name}`);
    throw new Error(`expected one ${what} under ${parent.service}:${parent.name}, found ${found.length}; its children: ${children.join(', ') || '(none)'}`);
  }
  return found[0];
}

const isProcessOf = (connector: string) => (span: ReceivedSpan) => span.kind === SPAN_KIND.consumer && span.attributes['switchboard.connector'] === connector;
const isClient = (method: string, path: string) => (span: ReceivedSpan) => span.kind === SPAN_KIND.client && span.attributes['http.request.method'] === method && String(span.attributes['url.full']).endsWith(path);
const isServer = (service: string) => (span: ReceivedSpan) => span.kind === SPAN_KIND.server && span.service === service;
const isCreate = (topic: string) => (span: ReceivedSpan) => span.kind === SPAN_KIND.producer && span.name === `create ${topic}`;
const isSend = (topic: string) => (span: ReceivedSpan) => span.kind === SPAN_KIND.producer && span.name === `send ${topic}`;

it('gives one order one trace: CRM → worker → ERP confirmation → SCM shipment, and the CRM\'s updates', () => withSystemLog(system, async () => {
  await sys.warehouse('WH-TRACE');
  await sys.product('TRACE-A', '10.00');
  await sys.receive('TRACE-A', 'WH-TRACE', 10);
  const customer = await sys.customer('Traced Buyer', 'SMB');

  const placed = await sys.placeOrder(customer.id, [{ sku: 'TRACE-A', quantity: 2 }]);
  const confirmed = await sys.orderWhen(placed.id, 'CONFIRMED', (o) => o.status === 'CONFIRMED' && o.erpOrderNumber !== null);
  const shipment = await sys.shipmentWhen(confirmed.erpOrderNumber ?? '', 'READY');
  await sys.scm.post(`/shipments/${shipment.id}/dispatch`, { carrier: 'DHL', trackingNumber: 'TRK-TRACE-1' });
  await sys.orderWhen(placed.id, 'SHIPPED and INVOICED', (o) => o.status === 'SHIPPED' && o.invoice?.status === 'ISSUED');

  const orderTopic = `${system.prefix}crm.order.v1`;
  const salesOrderTopic = `${system.prefix}erp.sales-order.v1`;
  const shipmentTopic = `${system.prefix}scm.shipment.v1`;
  // The order's trace: the one its OrderPlaced was created in.
  const created = await eventually(() => receiver.spans().find((span) => isCreate(orderTopic)(span) && span.attributes['messaging.kafka.message.key'] === placed.id), 30_000, 'the create span of OrderPlaced');
  const traceId = created.traceId;

  // Spans arrive in batches from four processes: wait until the whole chain is there.
  const chain = await eventually(() => {
    const trace = receiver.spans().filter((span) => span.traceId === traceId);
    try {
      const request = trace.find((span) => span.spanId === created.parentSpanId) as ReceivedSpan;
      if (!request) throw new Error('no request span');
      const send = childOf(trace, created, 'send', isSend(orderTopic));
      const toErp = childOf(trace, send, 'process (crm-order-to-erp)', isProcessOf('crm-order-to-erp'));
      const salesOrderCall = childOf(trace, toErp, 'POST /sales-orders client', isClient('POST', '/sales-orders'));
      const erpServer = childOf(trace, salesOrderCall, 'ERP server span', isServer('erp'));
      const erpCreate = childOf(trace, erpServer, 'create (sales order)', isCreate(salesOrderTopic));
      const erpSend = childOf(trace, erpCreate, 'send (sales order)', isSend(salesOrderTopic));
      const toScm = childOf(trace, erpSend, 'process (erp-order-to-scm)', isProcessOf('erp-order-to-scm'));
      const shipmentCall = childOf(trace, toScm, 'SCM client span', (span) => span.kind === SPAN_KIND.client);
      const scmServer = childOf(trace, shipmentCall, 'SCM server span', isServer('scm'));
      const scmCreate = childOf(trace, scmServer, 'create (shipment)', isCreate(shipmentTopic));
      const toCrm = childOf(trace, erpSend, 'process (erp-order-to-crm)', isProcessOf('erp-order-to-crm'));
      const crmUpdateCall = childOf(trace, toCrm, 'CRM client span', (span) => span.kind === SPAN_KIND.client);
      const crmUpdate = childOf(trace, crmUpdateCall, 'CRM server span of the update', isServer('crm'));
      return { trace, request, send, toErp, salesOrderCall, erpServer, erpCreate, erpSend, toScm, shipmentCall, scmServer, scmCreate, toCrm, crmUpdateCall, crmUpdate };
    } catch {
      return undefined;
    }
  }, 60_000, `the whole chain of trace ${traceId}`);

  // One trace, four processes.
  expect(new Set(chain.trace.map((span) => span.traceId))).toEqual(new Set([traceId]));
  expect([...new Set(chain.trace.map((span) => span.service))].sort()).toEqual(expect.arrayContaining(['crm', 'erp', 'scm', 'worker']));

  // The request: a SERVER span with the HTTP conventions, root of the trace (the test sent no traceparent).
  expect(chain.request).toMatchObject({ service: 'crm', name: 'POST /orders', kind: SPAN_KIND.server, parentSpanId: '' });
  expect(chain.request.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.route': '/orders', 'http.response.status_code': 201 });

  // create → send → process, with the messaging conventions and Switchboard's attributes.
  expect(created).toMatchObject({ service: 'crm', kind: SPAN_KIND.producer });
  expect(created.attributes).toMatchObject({ 'messaging.system': 'kafka', 'messaging.operation.type': 'create', 'messaging.destination.name': orderTopic, 'switchboard.event.type': 'crm.order.OrderPlaced' });
  const eventId = created.attributes['cloudevents.event_id'];
  expect(eventId).toMatch(/^[0-9a-f-]{36}$/);
  expect(chain.send).toMatchObject({ service: 'crm' });
  expect(chain.send.attributes).toMatchObject({ 'messaging.operation.type': 'send', 'messaging.kafka.message.key': placed.id, 'cloudevents.event_id': eventId });
  expect(chain.toErp).toMatchObject({ service: 'worker', name: `process ${orderTopic}`, kind: SPAN_KIND.consumer });
  expect(chain.toErp.attributes).toMatchObject({
    'messaging.system': 'kafka', 'messaging.operation.type': 'process', 'messaging.destination.name': orderTopic, 'messaging.kafka.message.key': placed.id,
    'cloudevents.event_id': eventId, 'switchboard.event.type': 'crm.order.OrderPlaced', 'switchboard.connector': 'crm-order-to-erp', 'switchboard.outcome': 'applied',
  });
  expect(typeof chain.toErp.attributes['messaging.kafka.offset']).toBe('number');

  // The call to the ERP: CLIENT span with url.full, the ERP's SERVER span below it.
  expect(chain.salesOrderCall).toMatchObject({ service: 'worker', name: 'POST', kind: SPAN_KIND.client });
  expect(chain.salesOrderCall.attributes).toMatchObject({ 'http.request.method': 'POST', 'url.full': `${system.urls.erp}/sales-orders`, 'http.response.status_code': 201 });
  expect(chain.erpServer).toMatchObject({ name: 'POST /sales-orders' });
  expect(chain.erpServer.attributes).toMatchObject({ 'http.route': '/sales-orders', 'http.response.status_code': 201 });
  expect(chain.erpSend.attributes).toMatchObject({ 'switchboard.event.type': 'erp.sales-order.SalesOrderConfirmed', 'messaging.kafka.message.key': placed.id });

  // The SCM's shipment and the CRM's update of the order hang below the ERP's confirmation.
  expect(chain.scmCreate.attributes).toMatchObject({ 'switchboard.event.type': 'scm.shipment.ShipmentCreated' });
  expect(chain.crmUpdate.attributes['http.response.status_code']).toBeLessThan(300);
  // Nothing of this order failed.
  expect(chain.trace.filter((span) => span.statusCode === 2).map((span) => `${span.service}:${span.name}`)).toEqual([]);
}));
