import { startOtlpReceiver, SPAN_KIND, type OtlpReceiver } from '../../tests/kit/index.js';
import { createLogger } from '../log/logger.js';
import { endHttpClientSpan, startHttpClientSpan } from './http-client-span.js';
import { startProcessSpan, startSendSpan } from './messaging-spans.js';
import { flushTracing, startTracing, stopTracing } from './tracing.js';

const PARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const HOP = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

// With the SDK running (tracing on): the spans the runtime makes per event, as a receiver gets them.
describe('spans with the SDK (tracing on)', () => {
  let receiver: OtlpReceiver;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    // The OTLP exporter reads its endpoint from the process's environment itself.
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.url;
    expect(startTracing('worker', createLogger('recorded-spans-test', { level: 'silent' }))).toBe(true);
  });

  afterAll(async () => {
    await stopTracing();
    delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    await receiver.close();
  });

  it('export each span under its parent, with the traceparent it hands on and its attributes', async () => {
    const processing = startProcessSpan({ topic: 't.crm.order.v1', partition: 2, offset: '41', key: 'O-1', eventId: 'e-1', eventType: 'crm.order.OrderPlaced', connector: 'c', consumerGroup: 'g' }, PARENT);
    const send = startSendSpan({ topic: 't.erp.order.v1', key: 'O-1', eventId: 'e-2', eventType: 'erp.order.SalesOrderRequested', connector: 'c' }, processing.traceparent);
    const call = startHttpClientSpan('POST', 'http://127.0.0.1:3002/sales-orders/O-1?x=1', processing.traceparent);
    send.span.end();
    endHttpClientSpan(call, { status: 201 });
    processing.span.end();
    await flushTracing();

    const [, traceId, processId] = HOP.exec(processing.traceparent) ?? [];
    expect(traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    const spans = receiver.spans().filter((span) => span.traceId === traceId);
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    expect(byId.get(processId)).toMatchObject({
      service: 'worker', parentSpanId: 'b7ad6b7169203331', name: 'process t.crm.order.v1', kind: SPAN_KIND.consumer,
      attributes: {
        'messaging.system': 'kafka', 'messaging.operation.type': 'process', 'messaging.destination.name': 't.crm.order.v1', 'messaging.kafka.message.key': 'O-1',
        'cloudevents.event_id': 'e-1', 'messaging.message.id': 'e-1', 'switchboard.event.type': 'crm.order.OrderPlaced', 'switchboard.connector': 'c',
        'messaging.destination.partition.id': '2', 'messaging.kafka.offset': 41, 'messaging.consumer.group.name': 'g',
      },
    });
    expect(byId.get(HOP.exec(send.traceparent)?.[2] ?? '')).toMatchObject({ parentSpanId: processId, name: 'send t.erp.order.v1', kind: SPAN_KIND.producer, attributes: { 'messaging.operation.type': 'send', 'cloudevents.event_id': 'e-2' } });
    expect(byId.get(HOP.exec(call.traceparent)?.[2] ?? '')).toMatchObject({
      parentSpanId: processId, name: 'POST', kind: SPAN_KIND.client,
      attributes: { 'http.request.method': 'POST', 'url.full': 'http://127.0.0.1:3002/sales-orders/O-1?x=1', 'server.address': '127.0.0.1', 'server.port': 3002, 'http.response.status_code': 201 },
    });
    expect(spans).toHaveLength(3);
  });

  it('records nothing under a parent that was not sampled, and hands the decision on', async () => {
    const unsampledParent = '00-1bf7651916cd43dd8448eb211c80319c-c7ad6b7169203331-00';
    const processing = startProcessSpan({ topic: 't.crm.order.v1', partition: 0, offset: '7', key: 'O-2', eventId: 'e-3', eventType: 'crm.order.OrderPlaced', connector: 'c', consumerGroup: 'g' }, unsampledParent);
    const call = startHttpClientSpan('POST', 'http://127.0.0.1:3002/sales-orders/O-2', processing.traceparent);
    endHttpClientSpan(call, { status: 201 });
    processing.span.end();
    // A sampled span in the same flush: the export happened, and only it arrived.
    const sampled = startProcessSpan({ topic: 't.crm.order.v1', partition: 0, offset: '8', key: 'O-3', eventId: 'e-4', eventType: 'crm.order.OrderPlaced', connector: 'c', consumerGroup: 'g' }, PARENT);
    sampled.span.end();
    await flushTracing();

    // Each hop still gets its own span id in the same trace, marked not sampled.
    const NOT_SAMPLED = /^00-1bf7651916cd43dd8448eb211c80319c-([0-9a-f]{16})-00$/;
    expect(processing.traceparent).toMatch(NOT_SAMPLED);
    expect(call.traceparent).toMatch(NOT_SAMPLED);
    expect(new Set([processing.traceparent, call.traceparent, unsampledParent]).size).toBe(3);
    expect(receiver.spans().some((span) => span.spanId === HOP.exec(sampled.traceparent)?.[2])).toBe(true);
    expect(receiver.spans().filter((span) => span.traceId === '1bf7651916cd43dd8448eb211c80319c')).toEqual([]);
  });
});
