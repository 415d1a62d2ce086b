import { SpanKind } from '@opentelemetry/api';
import { startCreateSpan, startSendSpan } from './messaging-spans.js';
import { startHttpClientSpan } from './http-client-span.js';
import { startSpan } from './spans.js';
import { contextFromTraceparent } from './trace-context.js';

const PARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const HOP = /^00-([0-9a-f]{32})-([0-9a-f]{16})-(0[01])$/;

// No SDK runs in unit tests: these are the no-op spans every process has when tracing is off.
describe('spans without the SDK (tracing off)', () => {
  it('give each hop its own span id in the parent\'s trace, so the traceparent still travels', () => {
    const send = startSendSpan({ topic: 'crm.order.v1', key: 'O-1' }, PARENT);
    const [, traceId, spanId, flags] = HOP.exec(send.traceparent) ?? [];
    expect(traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(spanId).not.toBe('b7ad6b7169203331');
    expect(flags).toBe('01');
    const client = startHttpClientSpan('POST', 'http://127.0.0.1:3002/sales-orders', send.traceparent);
    expect(client.traceparent).toContain('0af7651916cd43dd8448eb211c80319c');
    expect(client.traceparent).not.toBe(send.traceparent);
    expect(client.span.isRecording()).toBe(false);
  });

  it('start a new sampled trace when there is no parent or it is malformed', () => {
    const fresh = startCreateSpan({ topic: 'crm.order.v1' }, null);
    const garbled = startSpan('x', SpanKind.SERVER, contextFromTraceparent('00-zz-yy-01'));
    for (const started of [fresh, garbled]) expect(started.traceparent).toMatch(HOP);
    expect(fresh.traceparent.slice(3, 35)).not.toBe(garbled.traceparent.slice(3, 35));
    expect(fresh.traceparent.endsWith('-01')).toBe(true);
  });
});
