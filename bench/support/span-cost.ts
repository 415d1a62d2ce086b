/**
 * What the spans of one topic→HTTP event cost the worker's thread, without Kafka, Redis or a
 * target in the way: per event a `process` span (a new trace, as the connector bench's events
 * start one) and its HTTP client child, 500 events open at a time, every span ended and exported
 * over OTLP/HTTP to a receiver in this process that only counts requests. Prints the CPU per
 * event of four rounds of 40 000 (the first one warms up). The receiver runs in a child process,
 * so its CPU is not counted, and each round pauses between its batches for the exporter to keep
 * up: a span the batch processor drops for a full queue costs nothing and would flatter the
 * figure (the first version of this script dropped about three spans in four that way). Beside
 * the process's CPU it prints its main thread's (Linux), which differs once work moves to other
 * threads (bench/COMPARISONS.md, "Spans exported from a worker thread"). Tracing
 * is set up from the standard variables, so one script measures off, every span, and a sampler:
 *
 *   node --import tsx bench/support/span-cost.ts                      # tracing off
 *   SPAN_COST_TRACING=1 node --import tsx bench/support/span-cost.ts  # every span exported
 *   SPAN_COST_TRACING=1 OTEL_TRACES_SAMPLER=parentbased_traceidratio OTEL_TRACES_SAMPLER_ARG=0.1 node --import tsx bench/support/span-cost.ts
 *
 * The figures are in bench/COMPARISONS.md; they are the floor under the telemetry-overhead
 * bench's "on − off", whose runs differ from each other by more than this.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { startOtlpReceiver } from '../../tests/kit/otlp-receiver.js';
import { threadCpuSecondsOf } from './processes.js';
import { createLogger } from '../../hub/log/logger.js';
import { endHttpClientSpan, flushTracing, startHttpClientSpan, startProcessSpan, startTracing, stopTracing, type StartedSpan } from '../../hub/telemetry/index.js';

// The child: a receiver that prints its URL, and its request count when its stdin closes.
if (process.argv[2] === 'receiver') {
  const receiver = await startOtlpReceiver({ keep: false });
  process.stdout.write(`${receiver.url}\n`);
  process.stdin.resume();
  await once(process.stdin, 'end');
  process.stdout.write(`${receiver.requests()}\n`);
  await receiver.close();
  process.exit(0);
}

const EVENTS = 40_000;
const OPEN = 500;
/** Long enough for the exporter to keep up: a dropped span would cost nothing and flatter the figure. */
const PAUSE_MS = Number(process.env.SPAN_COST_PAUSE_MS ?? 20);
const receiver = spawn(process.execPath, [...process.execArgv, import.meta.filename, 'receiver'], { stdio: ['pipe', 'pipe', 'inherit'] });
const receiverLines = createInterface({ input: receiver.stdout })[Symbol.asyncIterator]();
const receiverUrl = String((await receiverLines.next()).value);
if (process.env.SPAN_COST_TRACING === '1') {
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiverUrl;
  process.env.OTEL_BSP_SCHEDULE_DELAY ??= '1000';
}
const tracing = startTracing('worker', createLogger('span-cost', { level: 'warn' }));

/** CPU µs per event over one round: the whole process's, and its main thread's. */
async function round(): Promise<[number, number]> {
  const before = process.cpuUsage();
  const mainBefore = threadCpuSecondsOf(process.pid, process.pid);
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
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
  }
  await flushTracing();
  const used = process.cpuUsage(before);
  return [(used.user + used.system) / EVENTS, ((threadCpuSecondsOf(process.pid, process.pid) - mainBefore) * 1e6) / EVENTS];
}

const rounds: string[] = [];
const mainRounds: string[] = [];
for (let i = 0; i < 4; i++) {
  const [all, main] = await round();
  rounds.push(all.toFixed(1));
  mainRounds.push(main.toFixed(1));
}
const sampler = process.env.OTEL_TRACES_SAMPLER ? `sampler ${process.env.OTEL_TRACES_SAMPLER} ${process.env.OTEL_TRACES_SAMPLER_ARG ?? ''}`.trim() : 'every span';
const how = tracing ? sampler : 'tracing off';
await stopTracing();
receiver.stdin.end();
const requests = String((await receiverLines.next()).value);
console.log(`span cost (${how}): ${rounds.join(' ')} µs of CPU per event (process + HTTP client span), of which the main thread ${mainRounds.join(' ')}; ${requests} OTLP requests`);
