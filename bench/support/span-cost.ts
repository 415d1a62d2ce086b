/**
 * What the spans of one topic→HTTP event cost the worker's thread, without Kafka, Redis or a
 * target in the way: per event a `process` span (a new trace, as the connector bench's events
 * start one) and its HTTP client child, 500 events open at a time, every span ended and exported
 * over OTLP/HTTP to a receiver in this process that only counts requests. Prints the CPU per
 * event of four rounds of 40 000 (the first one warms up). Tracing is set up from the standard
 * variables, so one script measures off, every span, and a sampler:
 *
 *   node --import tsx bench/support/span-cost.ts                      # tracing off
 *   SPAN_COST_TRACING=1 node --import tsx bench/support/span-cost.ts  # every span exported
 *   SPAN_COST_TRACING=1 OTEL_TRACES_SAMPLER=parentbased_traceidratio OTEL_TRACES_SAMPLER_ARG=0.1 node --import tsx bench/support/span-cost.ts
 *
 * The figures are in bench/COMPARISONS.md; they are the floor under the telemetry-overhead
 * bench's "on − off", whose runs differ from each other by more than this.
 */
import { startOtlpReceiver } from '../../tests/kit/otlp-receiver.js';
import { createLogger } from '../../hub/log/logger.js';
import { endHttpClientSpan, flushTracing, startHttpClientSpan, startProcessSpan, startTracing, stopTracing, type StartedSpan } from '../../hub/telemetry/index.js';

const EVENTS = 40_000;
const OPEN = 500;
const receiver = await startOtlpReceiver({ keep: false });
if (process.env.SPAN_COST_TRACING === '1') {
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.url;
  process.env.OTEL_BSP_SCHEDULE_DELAY ??= '1000';
}
const tracing = startTracing('worker', createLogger('span-cost', { level: 'warn' }));

/** CPU µs per event over one round. */
async function round(): Promise<number> {
  const before = process.cpuUsage();
  for (let batch = 0; batch < EVENTS / OPEN; batch++) {
    const open: [StartedSpan, StartedSpan][] = [];
    for (let i = 0; i < OPEN; i++) {
      const n = batch * OPEN + i;
      const processing = startProcessSpan({ topic: 'crm.order.v1', partition: n % 6, offset: String(n), key: `O-${n % 2000}`, eventId: `e-${n}`, eventType: 'switchboard.crm.OrderPlaced', connector: 'bench-topic-to-http', consumerGroup: 'bench' }, undefined);
      open.push([processing, startHttpClientSpan('POST', `http://127.0.0.1:3002/orders/O-${n}/placements`, processing.traceparent)]);
    }
    for (const [processing, call] of open) {
      endHttpClientSpan(call, { status: 200 });
      processing.span.end();
    }
    // Let the exporter's requests go out, as the event loop would between fetches.
    await new Promise((resolve) => setImmediate(resolve));
  }
  await flushTracing();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / EVENTS;
}

const rounds: string[] = [];
for (let i = 0; i < 4; i++) rounds.push((await round()).toFixed(1));
const sampler = process.env.OTEL_TRACES_SAMPLER ? `sampler ${process.env.OTEL_TRACES_SAMPLER} ${process.env.OTEL_TRACES_SAMPLER_ARG ?? ''}`.trim() : 'every span';
const how = tracing ? sampler : 'tracing off';
console.log(`span cost (${how}): ${rounds.join(' ')} µs of CPU per event (process + HTTP client span); ${receiver.requests()} OTLP requests`);
await stopTracing();
await receiver.close();
