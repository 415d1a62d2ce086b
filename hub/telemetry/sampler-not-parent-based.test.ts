import { startOtlpReceiver, type OtlpReceiver } from '../../tests/kit/index.js';
import { createLogger } from '../log/logger.js';
import { endHttpClientSpan, startHttpClientSpan } from './http-client-span.js';
import { flushTracing, startTracing, stopTracing } from './tracing.js';

// A sampler that does not follow the parent (always_on): a child of a trace not sampled upstream
// is still recorded, so the spans must not take the parent-based shortcut.
describe('spans under a sampler that ignores the parent (OTEL_TRACES_SAMPLER=always_on)', () => {
  let receiver: OtlpReceiver;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.url;
    process.env.OTEL_TRACES_SAMPLER = 'always_on';
    expect(startTracing('worker', createLogger('sampler-test', { level: 'silent' }))).toBe(true);
  });

  afterAll(async () => {
    await stopTracing();
    delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    delete process.env.OTEL_TRACES_SAMPLER;
    await receiver.close();
  });

  it('records the child of a parent that was not sampled, and marks it sampled', async () => {
    const call = startHttpClientSpan('POST', 'http://127.0.0.1:3002/sales-orders/O-9', '00-2cf7651916cd43dd8448eb211c80319c-d7ad6b7169203331-00');
    endHttpClientSpan(call, { status: 201 });
    await flushTracing();

    const [, spanId] = /^00-2cf7651916cd43dd8448eb211c80319c-([0-9a-f]{16})-01$/.exec(call.traceparent) ?? [];
    expect(receiver.spans().filter((span) => span.traceId === '2cf7651916cd43dd8448eb211c80319c')).toEqual([
      expect.objectContaining({ spanId, parentSpanId: 'd7ad6b7169203331', name: 'POST' }),
    ]);
  });
});
