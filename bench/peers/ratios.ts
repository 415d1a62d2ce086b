/**
 * "Ours ÷ peer": divides the connector benchmark's figures (its report in bench/results.json,
 * or in BENCH_RUN_REPORTS while `npm run bench` runs) by Redpanda Connect's figures for the
 * same work, measured by bench/peers.bench.ts.
 *
 * The pairs:
 *   connector topic→topic                    ÷ Redpanda Connect Avro topic→topic
 *   connector topic→HTTP                     ÷ Redpanda Connect topic→HTTP (ordered)
 *   bare kafkajs consume→produce passthrough ÷ Redpanda Connect passthrough
 */
import type { BenchReport, Figure } from '../support/measure.js';
import { round } from '../support/measure.js';

/** The figures names of bench/connector-throughput.bench.ts this divides. */
export const CONNECTOR_FIGURES = {
  topicToTopic: 'connector topic→topic',
  topicToHttp: 'connector topic→HTTP',
  passthrough: 'bare kafkajs consume→produce passthrough',
} as const;

/** Redpanda Connect's rates, in events (records) per second. */
export interface PeerRates {
  readonly topicToTopic: number;
  readonly topicToHttp: number;
  readonly passthrough: number;
}

/** The shape of bench/results.json (only what is read here). */
export interface ResultsFile {
  readonly reports: readonly BenchReport[];
}

/** Our connector figures from a results file, or undefined when it has no connector-throughput report. */
export function connectorRates(results: ResultsFile | undefined): Partial<PeerRates> | undefined {
  const report = results?.reports.find((r) => r.bench === 'connector-throughput');
  if (!report) return undefined;
  const value = (name: string) => report.figures.find((f) => f.name === name)?.value;
  return {
    topicToTopic: value(CONNECTOR_FIGURES.topicToTopic),
    topicToHttp: value(CONNECTOR_FIGURES.topicToHttp),
    passthrough: value(CONNECTOR_FIGURES.passthrough),
  };
}

/** One "ours ÷ peer" row per connector figure present. */
export function ratioFigures(ours: Partial<PeerRates>, peer: PeerRates): Figure[] {
  const rows: [keyof PeerRates, string][] = [
    ['topicToTopic', 'ratio our connector topic→topic ÷ Redpanda Connect Avro topic→topic'],
    ['topicToHttp', 'ratio our connector topic→HTTP ÷ Redpanda Connect topic→HTTP'],
    ['passthrough', 'ratio our bare kafkajs passthrough ÷ Redpanda Connect passthrough'],
  ];
  return rows.flatMap(([key, name]) => {
    const mine = ours[key];
    if (mine === undefined || !(peer[key] > 0)) return [];
    return [{ name, value: round(mine / peer[key]), unit: '×', note: `${mine} ÷ ${Math.round(peer[key])} events/s` }];
  });
}
