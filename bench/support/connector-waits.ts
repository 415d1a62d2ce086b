/**
 * Where events wait, per connector, read from a worker's own `/metrics` (the runtime's counters
 * and histograms; nothing is measured here): two scrapes, and the difference says, for the
 * events applied between them, how long each connector took on one (processing duration) and how
 * old the event was when its effects were applied (now minus `ce_time`), plus how many were
 * retried in place or parked. Down a flow the age grows hop by hop; the connector where it jumps
 * is where events queued.
 *
 * @example
 * ```ts
 * const before = await scrapeConnectorTotals(metricsUrl);
 * // ... load ...
 * const waits = connectorWaits(before, await scrapeConnectorTotals(metricsUrl));
 * say(describeWaits(waits));
 * ```
 */

/** Sums of one connector's series at one scrape. */
interface ConnectorTotals {
  applied: number;
  retried: number;
  parked: number;
  durationSum: number;
  durationCount: number;
  ageSum: number;
  ageCount: number;
  /** Seconds spent per stage (switchboard_connector_stage_seconds_total), summed over events. */
  stages: Map<string, number>;
}

/** One connector's figures between two scrapes. */
export interface ConnectorWait {
  readonly connector: string;
  readonly applied: number;
  readonly retried: number;
  readonly parked: number;
  /** Mean processing duration of the events settled between the scrapes, ms. */
  readonly meanProcessingMs: number;
  /** Mean age at apply of the events applied between the scrapes, ms. */
  readonly meanAgeMs: number;
  /** Mean time per settled event in each stage of its handling, ms, longest first. */
  readonly stageMs: readonly { readonly stage: string; readonly ms: number }[];
}

const SERIES: Record<string, Exclude<keyof ConnectorTotals, 'stages'>> = {
  switchboard_connector_events_applied_total: 'applied',
  switchboard_connector_events_retried_total: 'retried',
  switchboard_connector_events_parked_total: 'parked',
  switchboard_connector_processing_duration_seconds_sum: 'durationSum',
  switchboard_connector_processing_duration_seconds_count: 'durationCount',
  switchboard_connector_event_age_seconds_sum: 'ageSum',
  switchboard_connector_event_age_seconds_count: 'ageCount',
};

/** One sample of a Prometheus text exposition: its metric name, raw label text and value. */
interface Sample {
  readonly name: string;
  readonly labels: string;
  readonly value: number;
}

/** The samples of one scrape of `<metricsUrl>/metrics` (an unlabelled one has labels ''). */
async function scrape(metricsUrl: string): Promise<Sample[]> {
  const text = await (await fetch(`${metricsUrl}/metrics`)).text();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^(\w+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (match) samples.push({ name: match[1], labels: match[2] ?? '', value: Number(match[3]) });
  }
  return samples;
}

/** The value of label `name` in a sample's label text. */
const label = (labels: string, name: string): string | undefined => new RegExp(`(?:^|,)${name}="([^"]+)"`).exec(labels)?.[1];

/** The connector series of one scrape of a worker's `/metrics`, summed over their other labels. */
export async function scrapeConnectorTotals(metricsUrl: string): Promise<Map<string, ConnectorTotals>> {
  const totals = new Map<string, ConnectorTotals>();
  for (const sample of await scrape(metricsUrl)) {
    const field = SERIES[sample.name];
    const stage = sample.name === 'switchboard_connector_stage_seconds_total' ? label(sample.labels, 'stage') : undefined;
    const connector = (field || stage) && label(sample.labels, 'connector');
    if (!connector) continue;
    let entry = totals.get(connector);
    if (!entry) totals.set(connector, (entry = { applied: 0, retried: 0, parked: 0, durationSum: 0, durationCount: 0, ageSum: 0, ageCount: 0, stages: new Map() }));
    if (field) entry[field] += sample.value;
    if (stage) entry.stages.set(stage, (entry.stages.get(stage) ?? 0) + sample.value);
  }
  return totals;
}

/** The difference between two scrapes, per connector that applied or parked anything, oldest events first. */
export function connectorWaits(before: Map<string, ConnectorTotals>, after: Map<string, ConnectorTotals>): ConnectorWait[] {
  const waits: ConnectorWait[] = [];
  for (const [connector, now] of after) {
    const then = before.get(connector);
    const delta = (field: Exclude<keyof ConnectorTotals, 'stages'>) => now[field] - (then?.[field] ?? 0);
    if (delta('applied') === 0 && delta('parked') === 0) continue;
    const settled = Math.max(1, delta('durationCount'));
    const stageMs = [...now.stages]
      .map(([stage, seconds]) => ({ stage, ms: ((seconds - (then?.stages.get(stage) ?? 0)) / settled) * 1000 }))
      .filter((entry) => entry.ms >= 0.5)
      .sort((a, b) => b.ms - a.ms);
    waits.push({
      connector,
      applied: delta('applied'),
      retried: delta('retried'),
      parked: delta('parked'),
      meanProcessingMs: (delta('durationSum') / Math.max(1, delta('durationCount'))) * 1000,
      meanAgeMs: (delta('ageSum') / Math.max(1, delta('ageCount'))) * 1000,
      stageMs,
    });
  }
  return waits.sort((a, b) => b.meanAgeMs - a.meanAgeMs);
}

/**
 * One line: `connector age/processing ms [stages] (retried, parked)` for each, oldest first; the
 * stages are the mean ms per event in each (committing: effects done, offset not yet recorded).
 */
export function describeWaits(waits: readonly ConnectorWait[]): string {
  return waits
    .map((w) => {
      const stages = w.stageMs.map((s) => `${s.stage} ${Math.round(s.ms)}`).join(', ');
      return `${w.connector} age ${Math.round(w.meanAgeMs)}/processing ${Math.round(w.meanProcessingMs)} ms${stages ? ` [${stages}]` : ''}${w.retried || w.parked ? ` (retried ${w.retried}, parked ${w.parked})` : ''}`;
    })
    .join('; ');
}

/** Sum and count of `http_server_request_duration_seconds` per `METHOD route`, at one scrape of a service's `/metrics`. */
export async function scrapeRouteTotals(metricsUrl: string): Promise<Map<string, { sum: number; count: number }>> {
  const totals = new Map<string, { sum: number; count: number }>();
  for (const sample of await scrape(metricsUrl)) {
    const part = /^http_server_request_duration_seconds_(sum|count)$/.exec(sample.name)?.[1] as 'sum' | 'count' | undefined;
    const method = part && label(sample.labels, 'method');
    const route = method && label(sample.labels, 'route');
    if (!part || !method || !route || route === '/metrics') continue;
    const key = `${method} ${route}`;
    const entry = totals.get(key) ?? { sum: 0, count: 0 };
    entry[part] += sample.value;
    totals.set(key, entry);
  }
  return totals;
}

/** `METHOD route mean ms (n)` for each route served between two scrapes, slowest first: the time a service itself took. */
export function describeRouteWaits(before: Map<string, { sum: number; count: number }>, after: Map<string, { sum: number; count: number }>): string {
  return [...after]
    .map(([route, now]) => ({ route, count: now.count - (before.get(route)?.count ?? 0), sum: now.sum - (before.get(route)?.sum ?? 0) }))
    .filter((r) => r.count > 0)
    .sort((a, b) => b.sum / b.count - a.sum / a.count)
    .map((r) => `${r.route} ${Math.round((r.sum / r.count) * 1000)} ms (${r.count})`)
    .join('; ');
}

/**
 * The event-loop delay of a process since its previous scrape (prom-client resets its
 * histogram at every collection), p99 and max, ms: how long a ready callback (an HTTP answer,
 * a fetch) may have waited for the process's one thread.
 */
/**
 * A process's memory as its `/metrics` reports it right now (prom-client's default metrics), in MB:
 * the V8 heap in use and reserved, and memory outside it (Buffers, the native parts of modules).
 */
export async function scrapeMemory(metricsUrl: string): Promise<{ heapUsedMb: number; heapTotalMb: number; externalMb: number }> {
  const samples = await scrape(metricsUrl);
  const mb = (name: string) => Math.round(((samples.find((sample) => sample.name === name)?.value ?? NaN) / 1024 / 1024) * 10) / 10;
  return { heapUsedMb: mb('nodejs_heap_size_used_bytes'), heapTotalMb: mb('nodejs_heap_size_total_bytes'), externalMb: mb('nodejs_external_memory_bytes') };
}

export async function scrapeLoopDelay(metricsUrl: string): Promise<{ p99Ms: number; maxMs: number }> {
  const samples = await scrape(metricsUrl);
  const ms = (name: string) => (samples.find((sample) => sample.name === name)?.value ?? NaN) * 1000;
  return { p99Ms: ms('nodejs_eventloop_lag_p99_seconds'), maxMs: ms('nodejs_eventloop_lag_max_seconds') };
}
