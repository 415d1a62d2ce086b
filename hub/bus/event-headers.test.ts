import { causedBy, fromEventHeaders, HEADER, toEventHeaders, type EventMetadata } from './event-headers.js';
import { InvalidHeadersError } from './bus-errors.js';

const metadata: EventMetadata = {
  id: '6f1c2a8e-2a4b-4d8e-9d61-1f0f3c1b2a11',
  source: 'crm',
  type: 'crm.order.OrderPlaced',
  time: '2026-11-27T10:00:00.000Z',
  correlationId: 'O-1001',
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
};

describe('event headers', () => {
  it('writes the CloudEvents Kafka binding headers and reads them back unchanged', () => {
    const headers = toEventHeaders(metadata);
    expect(headers).toMatchObject({
      ce_specversion: '1.0',
      ce_id: metadata.id,
      ce_source: 'crm',
      ce_type: 'crm.order.OrderPlaced',
      ce_time: metadata.time,
      'content-type': 'application/avro',
      correlation_id: 'O-1001',
      traceparent: metadata.traceparent,
    });
    expect(headers).not.toHaveProperty('causation_id');
    expect(fromEventHeaders(headers)).toEqual(metadata);
  });

  it.each([HEADER.id, HEADER.source, HEADER.type, HEADER.time])('refuses a record without %s, naming it', (name) => {
    const headers: Record<string, string | undefined> = toEventHeaders(metadata);
    delete headers[name];
    expect(() => fromEventHeaders(headers)).toThrow(InvalidHeadersError);
    expect(() => fromEventHeaders(headers)).toThrow(name);
  });

  it('starts a new correlation from ce_id when a producer sends no correlation_id, causation or trace context', () => {
    // What Confluent's Python serializer with hand-set CloudEvents headers publishes.
    const foreign = { ce_specversion: '1.0', ce_id: 'evt-77', ce_source: 'shop', ce_type: 'crm.order.OrderPlaced', ce_time: metadata.time };
    expect(fromEventHeaders(foreign)).toEqual({ id: 'evt-77', source: 'shop', type: 'crm.order.OrderPlaced', time: metadata.time, correlationId: 'evt-77' });
  });

  it('refuses another CloudEvents spec version', () => {
    const headers = { ...toEventHeaders(metadata), ce_specversion: '0.3' };
    expect(() => fromEventHeaders(headers)).toThrow(/ce_specversion/);
  });

  it('carries correlation and trace to the next event and points causation at the cause', () => {
    const next = causedBy(metadata, { id: 'next-id', source: 'erp', type: 'erp.sales-order.SalesOrderConfirmed', time: metadata.time });
    expect(next).toEqual({
      id: 'next-id',
      source: 'erp',
      type: 'erp.sales-order.SalesOrderConfirmed',
      time: metadata.time,
      correlationId: 'O-1001',
      causationId: metadata.id,
      traceparent: metadata.traceparent,
    });
  });
});
