import { fromEventHeaders, HEADER } from '../bus/index.js';
import type { OutboxRow } from '../service/outbox.js';
import { OutboxRowError } from './errors.js';
import { outboxHeaders, parsePayload, routeOf, toOutgoingRecord } from './records.js';

const row: OutboxRow = {
  seq: 7,
  eventId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  system: 'crm',
  aggregate: 'customer',
  eventType: 'CustomerCreated',
  key: 'C-1017',
  payload: '{"customerId":"C-1017"}',
  correlationId: 'C-1017',
  causationId: null,
  traceparent: null,
  occurredAt: Date.parse('2024-05-02T08:15:00.123Z'),
  sentAt: null,
};

describe('routeOf', () => {
  it('takes topic, subject and ce_type from the catalogue, behind the prefix', () => {
    expect(routeOf(row)).toEqual({
      topic: 'crm.customer.v1',
      subject: 'crm.customer.v1-switchboard.crm.CustomerCreated',
      ceType: 'crm.customer.CustomerCreated',
    });
    expect(routeOf({ ...row, system: 'erp', aggregate: 'sales-order', eventType: 'SalesOrderConfirmed' }, 't1.')).toEqual({
      topic: 't1.erp.sales-order.v1',
      subject: 't1.erp.sales-order.v1-switchboard.erp.SalesOrderConfirmed',
      ceType: 'erp.sales-order.SalesOrderConfirmed',
    });
  });

  it('refuses an event type the catalogue lacks, or one filed under the wrong aggregate', () => {
    expect(() => routeOf({ ...row, eventType: 'CustomerTeleported' })).toThrow(OutboxRowError);
    expect(() => routeOf({ ...row, aggregate: 'order' })).toThrow(/belongs to crm.customer.v1/);
    try {
      routeOf({ ...row, eventType: 'CustomerTeleported' });
    } catch (error) {
      expect(error).toMatchObject({ code: 'SWB_ERR_OUTBOX_ROW_UNPUBLISHABLE', retriable: false, eventId: row.eventId, seq: 7 });
    }
  });
});

describe('outboxHeaders', () => {
  it('carries the CloudEvents attributes and the flow headers', () => {
    const headers = outboxHeaders(
      { ...row, causationId: 'cause-1', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
      'crm.customer.CustomerCreated',
    );
    expect(headers).toEqual({
      [HEADER.specVersion]: '1.0',
      [HEADER.id]: row.eventId,
      [HEADER.source]: 'crm',
      [HEADER.type]: 'crm.customer.CustomerCreated',
      [HEADER.time]: '2024-05-02T08:15:00.123Z',
      [HEADER.contentType]: 'application/avro',
      [HEADER.correlationId]: 'C-1017',
      [HEADER.causationId]: 'cause-1',
      [HEADER.traceparent]: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    });
    // What a consumer reads back is what the row held.
    expect(fromEventHeaders(headers)).toMatchObject({ id: row.eventId, source: 'crm', correlationId: 'C-1017', causationId: 'cause-1' });
  });

  it('leaves out causation and trace when the row has none', () => {
    const headers = outboxHeaders(row, 'crm.customer.CustomerCreated');
    expect(headers).not.toHaveProperty(HEADER.causationId);
    expect(headers).not.toHaveProperty(HEADER.traceparent);
  });
});

describe('parsePayload and toOutgoingRecord', () => {
  it('parses JSON payloads and refuses anything else with the row named', () => {
    expect(parsePayload(row)).toEqual({ customerId: 'C-1017' });
    expect(() => parsePayload({ ...row, payload: '{oops' })).toThrow(/outbox row 7 .*not JSON/);
  });

  it('keys the record by the aggregate id', () => {
    const value = Buffer.from([0, 0, 0, 0, 1]);
    const record = toOutgoingRecord(row, routeOf(row, 'p.'), value);
    expect(record).toMatchObject({ topic: 'p.crm.customer.v1', key: 'C-1017', value });
    expect(record.headers?.[HEADER.id]).toBe(row.eventId);
  });
});
