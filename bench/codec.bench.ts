/**
 * Codec encode and decode rate per event type, against JSON.stringify / JSON.parse of the
 * same object, as a ratio. Uses the warm, synchronous paths (schema ids cached), which is
 * what the relay and the connector runtime use per message. No broker or registry needed:
 * ids come from an in-memory lookup, since the registry is not what is measured here.
 */
import { AvroCodec } from '../hub/schema/codec/index.js';
import { InMemorySchemaLookup } from '../hub/schema/client/index.js';
import { schemaCatalog } from '../schemas/schema-catalog.js';
import { EXAMPLE_EVENTS } from '../schemas/examples.js';
import { PeakRss, report, round, type Figure } from './support/measure.js';

const DURATION_MS = Number(process.env.BENCH_CODEC_MS ?? 300);

/** Calls `fn` in rounds of 1000 for about DURATION_MS and returns calls per second. */
function rate(fn: () => unknown): number {
  for (let i = 0; i < 2000; i++) fn(); // warm-up for the JIT
  let calls = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < DURATION_MS) {
    for (let i = 0; i < 1000; i++) fn();
    calls += 1000;
    elapsed = performance.now() - started;
  }
  return (calls / elapsed) * 1000;
}

const rss = new PeakRss();
const codec = new AvroCodec({ registry: new InMemorySchemaLookup() });
const figures: Figure[] = [];
const encodeRatios: number[] = [];
const decodeRatios: number[] = [];

for (const event of schemaCatalog().events) {
  const value = EXAMPLE_EVENTS[event.fullName as keyof typeof EXAMPLE_EVENTS];
  const subject = event.subject();
  await codec.prepare(subject);
  const encoded = codec.encodeSync(subject, value)!;
  await codec.decode(encoded); // caches the writer schema and resolver
  const json = JSON.stringify(value);

  const encode = rate(() => codec.encodeSync(subject, value));
  const decode = rate(() => codec.decodeSync(encoded));
  const stringify = rate(() => JSON.stringify(value));
  const parse = rate(() => JSON.parse(json));
  encodeRatios.push(encode / stringify);
  decodeRatios.push(decode / parse);
  figures.push({
    name: event.eventType,
    value: Math.round(encode),
    unit: 'encodes/s',
    note: `decode ${Math.round(decode)}/s; JSON stringify ${Math.round(stringify)}/s, parse ${Math.round(parse)}/s; ` +
      `encode ÷ stringify ${round(encode / stringify)}×, decode ÷ parse ${round(decode / parse)}×; ${encoded.length} B Avro vs ${json.length} B JSON`,
  });
}

const geomean = (xs: number[]) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
figures.push({ name: 'geometric mean, encode ÷ JSON.stringify', value: round(geomean(encodeRatios)), unit: '×' });
figures.push({ name: 'geometric mean, decode ÷ JSON.parse', value: round(geomean(decodeRatios)), unit: '×' });
report({ bench: 'codec', figures, peakRssMb: rss.stopMb() });
