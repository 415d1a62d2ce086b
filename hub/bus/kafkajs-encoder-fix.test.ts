import { createRequire } from 'node:module';
import { fixKafkajsEncoderAllocation } from './kafkajs-encoder-fix.js';

const require = createRequire(import.meta.url);

interface Encoder { readonly buf: Buffer; readonly buffer: Buffer; writeVarIntString(value: string): Encoder }
type RecordBatchEncoder = (batch: { records: unknown[]; firstTimestamp: number; maxTimestamp: number; lastOffsetDelta: number; firstSequence: number }) => Promise<Encoder>;
type RecordEncoder = (record: { offsetDelta: number; timestampDelta: number; key: Buffer | string | null; value: Buffer | string | null; headers: Record<string, string | Buffer | string[]> }) => Encoder;

const EncoderClass = require('kafkajs/src/protocol/encoder.js') as new () => Encoder;
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as { RecordBatch: RecordBatchEncoder };
const Record = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as RecordEncoder;

/** A record batch as the hub produces them: keys, Avro-like binary values, the CloudEvents headers, non-ASCII text, a null value, a value over the first buffer's size. */
async function encodeBatch(): Promise<Buffer> {
  const records = Array.from({ length: 40 }, (_, i) => Record({
    offsetDelta: i,
    timestampDelta: i * 3,
    key: `C-${i % 7}`,
    value: i === 5 ? null : i === 9 ? Buffer.alloc(3000, 7) : Buffer.from([0, 0, 0, 0, 1, i, 255, 128, ...Buffer.from(`Zoë Ærø 東京 ${i}`)]),
    headers: {
      ce_id: `e-${i}`, ce_type: 'crm.customer.CustomerCreated', ce_source: '/crm', ce_specversion: '1.0', ce_time: '2026-12-02T23:00:00.000Z',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', 'content-type': 'application/avro', bytes: Buffer.from([1, 2, 3]), many: ['a', 'b'],
    },
  }));
  const batch = await RecordBatch({ records, firstTimestamp: 1_796_000_000_000, maxTimestamp: 1_796_000_000_117, lastOffsetDelta: 39, firstSequence: 12 });
  return Buffer.from(batch.buffer);
}

describe('kafkajs encoder fix', () => {
  it('encodes the same record batches, byte for byte, with its buffers from the pool', async () => {
    const before = await encodeBatch();
    expect(new EncoderClass().buf.length).toBe(512);

    expect(fixKafkajsEncoderAllocation()).toBe(true);
    expect(fixKafkajsEncoderAllocation()).toBe(true);
    const after = await encodeBatch();

    expect(after.length).toBeGreaterThan(3000);
    expect(after.equals(before)).toBe(true);
    // An encoder starts without memory of its own, and its first write takes a slice of Node's shared pool.
    const encoder = new EncoderClass();
    expect(encoder.buf.length).toBe(0);
    encoder.writeVarIntString('ce_id');
    expect(encoder.buf.length).toBe(512);
    expect(encoder.buf.buffer.byteLength).toBe(Buffer.poolSize);
    expect(encoder.buffer.toString('utf8', 1)).toBe('ce_id');
  });
});
