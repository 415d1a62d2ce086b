import type { ConsumedRecord } from '../bus/index.js';
import { derivedEventId } from './event-id.js';
import { hasNoCloudEventsHeaders, headerlessMetadata, headerlessTopics } from './headerless-records.js';

const record = (headers: Record<string, string> = {}): ConsumedRecord => ({
  topic: 't1.switchboard.retry.erp-product-to-crm', partition: 0, offset: '42', key: Buffer.from('SKU-1'), value: Buffer.alloc(0), headers, timestamp: Date.parse('2026-01-01T12:00:00Z'),
});

describe('records without CloudEvents headers', () => {
  it('are accepted only on the topics the catalogue flags', () => {
    expect(headerlessTopics(['erp.product.v1', 'crm.order.v1'], 't1.')).toEqual(new Set(['t1.erp.product.v1']));
  });

  it('are told apart from records whose headers are broken', () => {
    expect(hasNoCloudEventsHeaders({ traceparent: 'x' })).toBe(true);
    expect(hasNoCloudEventsHeaders({ ce_id: 'x' })).toBe(false);
  });

  it('get the catalogue type of their record, and an id from where they were first written, kept through parking', () => {
    const parked = record({ swb_original_topic: 't1.erp.product.v1', swb_original_partition: '2', swb_original_offset: '7' });
    const metadata = headerlessMetadata(parked, 'switchboard.erp.PriceChanged');
    expect(metadata).toEqual({
      id: derivedEventId('t1.erp.product.v1:2:7'), source: 'erp', type: 'erp.product.PriceChanged', time: '2026-01-01T12:00:00.000Z', correlationId: derivedEventId('t1.erp.product.v1:2:7'),
    });
    expect(headerlessMetadata({ ...record(), topic: 't1.erp.product.v1', partition: 2, offset: '7' }, 'switchboard.erp.PriceChanged').id).toBe(metadata.id);
  });
});
