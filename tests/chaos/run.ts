/**
 * `npm run chaos`: the long version of the chaos suite. Runs each scenario of scenarios.ts
 * `--trials` times (default 20) with `--orders` orders (default 100) at `--per-second` (default
 * 10) on one system (`switchboard up`'s processes, three workers) over a private stack of its
 * own (Kafka, Redis, Toxiproxy in front of the ERP: never the shared ones), then the cluster
 * scenarios on a private three-broker stack (`--no-cluster` leaves them out), and writes the
 * table to bench/CHAOS.md. `--scenario <name>` (repeatable) runs only those; the file keeps the
 * other scenarios' rows from its previous version.
 *
 * @example
 * ```sh
 * npm run chaos -- --trials 2 --orders 30 --scenario broker-crash
 * ```
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startChaosSystem } from './chaos-system.js';
import { CLUSTER_SCENARIOS, SCENARIOS, type Scenario, type TrialResult, type TrialSize } from './scenarios.js';

// The children run the TypeScript sources, as under jest (bin/switchboard.js would otherwise prefer dist/).
process.env.SWITCHBOARD_FROM_SOURCE ??= '1';

const { values } = parseArgs({
  options: {
    trials: { type: 'string', default: '20' },
    orders: { type: 'string', default: '100' },
    'per-second': { type: 'string', default: '10' },
    scenario: { type: 'string', multiple: true },
    'no-cluster': { type: 'boolean', default: false },
  },
});
const trials = Number(values.trials);
const size: TrialSize = { orders: Number(values.orders), perSecond: Number(values['per-second']), drainTimeoutMs: 300_000 };
if (![trials, size.orders, size.perSecond].every((n) => Number.isInteger(n) && n > 0)) throw new Error('--trials, --orders and --per-second must be positive integers');
const chosen = (scenarios: readonly Scenario[]) => scenarios.filter((scenario) => !values.scenario?.length || values.scenario.includes(scenario.name));
const log = (line: string) => process.stderr.write(`${line}\n`);

/** Runs `scenarios` `trials` times each on a fresh system over a fresh private stack. */
async function runOn(brokers: 1 | 3, scenarios: readonly Scenario[]): Promise<TrialResult[]> {
  if (scenarios.length === 0) return [];
  const chaos = await startChaosSystem(brokers, `chaos-${brokers}`, log);
  const results: TrialResult[] = [];
  try {
    for (const scenario of scenarios) {
      for (let trial = 1; trial <= trials; trial++) {
        const result = await scenario.run(chaos.context, size, trial);
        log(JSON.stringify(result));
        results.push(result);
      }
    }
  } finally {
    await chaos.stop();
  }
  return results;
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const sum = (rows: readonly TrialResult[], field: 'sent' | 'accepted' | 'applied' | 'duplicated' | 'lost' | 'deadLetters' | 'stalledAtEnd') => rows.reduce((total, row) => total + row[field], 0);

/** Rows of bench/CHAOS.md kept from an earlier run, and the command that wrote them. */
interface KeptRows {
  readonly summary: readonly string[];
  readonly trials: readonly string[];
  readonly writtenBy: string;
}

/**
 * The rows of the scenarios not run now, from the file as it was (summary table, trials table):
 * a run of some scenarios (`--scenario`) keeps the others' figures.
 */
function keptRows(file: string, ran: ReadonlySet<string>): KeptRows {
  const kept = { summary: [] as string[], trials: [] as string[], writtenBy: '' };
  if (!existsSync(file)) return kept;
  let table: 'summary' | 'trials' = 'summary';
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const written = /^Written by (`[^`]*`) on (\S+): /.exec(line);
    if (written && !kept.writtenBy) kept.writtenBy = `${written[1]} on ${written[2]}`;
    if (line.startsWith('## Trials')) table = 'trials';
    const name = /^\| ([a-z0-9-]+) \|/.exec(line)?.[1];
    if (name && name !== 'scenario' && !ran.has(name)) kept[table].push(line);
  }
  return kept;
}

/** bench/CHAOS.md: one row per scenario (totals over its trials), then every trial; rows of scenarios not run now are kept. */
function report(results: readonly TrialResult[], kept: KeptRows): string {
  const names = [...new Set(results.map((row) => row.scenario))];
  const lines = [
    '# Chaos suite',
    '',
    `Written by \`npm run chaos -- ${process.argv.slice(2).join(' ')}\` on ${new Date().toISOString()}: ${trials} trial(s) of each scenario, ${size.orders} orders each at ${size.perSecond}/s,`,
    'on a private stack (its own Kafka, Redis and Toxiproxy). Applied: every effect of the order exactly once',
    '(one ERP sales order, one SCM shipment, the CRM order SHIPPED; a cancelled order: its sales order CANCELLED).',
    'Lost: accepted orders still missing an effect when the drain gave up (300 s). Drain: from the end of the fault until every accepted order had its effects ("-": a trial did not drain);',
    'for broker-crash the fault ends when the restarted broker answers a metadata request, so its restart (log recovery after kill -9, in "restart took") is not in the drain.',
    ...(kept.summary.length > 0 ? [`Rows of scenarios not run by this command (${[...new Set(kept.summary.map((line) => line.split(' | ')[0].slice(2)))].join(', ')}) are kept from the file as it was (written by ${kept.writtenBy || 'an earlier run'}).`] : []),
    '',
    '| scenario | trials | sent | accepted | applied | duplicated | lost | dead letters | stalled at end | drain median (s) | drain max (s) |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const name of names) {
    const rows = results.filter((row) => row.scenario === name);
    const drains = rows.map((row) => row.drainMs).filter((ms): ms is number => ms !== null).sort((a, b) => a - b);
    const median = drains.length ? seconds(drains[Math.floor(drains.length / 2)]) : '-';
    const max = drains.length === rows.length && drains.length ? seconds(drains[drains.length - 1]) : '-';
    lines.push(`| ${name} | ${rows.length} | ${sum(rows, 'sent')} | ${sum(rows, 'accepted')} | ${sum(rows, 'applied')} | ${sum(rows, 'duplicated')} | ${sum(rows, 'lost')} | ${sum(rows, 'deadLetters')} | ${sum(rows, 'stalledAtEnd')} | ${median} | ${max} |`);
  }
  lines.push(...kept.summary);
  lines.push('', '## Trials', '', '| scenario | trial | sent | accepted | applied | duplicated | lost | drain (s) | stalls seen | notes |', '|---|---|---|---|---|---|---|---|---|---|');
  for (const row of results) {
    lines.push(`| ${row.scenario} | ${row.trial} | ${row.sent} | ${row.accepted} | ${row.applied} | ${row.duplicated} | ${row.lost} | ${row.drainMs === null ? '-' : seconds(row.drainMs)} | ${row.stallsSeen} | ${row.notes.replaceAll('|', '/')} |`);
  }
  lines.push(...kept.trials);
  return `${lines.join('\n')}\n`;
}

const results = [...await runOn(1, chosen(SCENARIOS)), ...(values['no-cluster'] ? [] : await runOn(3, chosen(CLUSTER_SCENARIOS)))];
const file = path.resolve(import.meta.dirname, '..', '..', 'bench', 'CHAOS.md');
writeFileSync(file, report(results, values.scenario?.length ? keptRows(file, new Set(results.map((row) => row.scenario))) : { summary: [], trials: [], writtenBy: '' }));
log(`wrote ${file}`);
const bad = results.filter((row) => row.lost > 0 || row.duplicated > 0 || row.drainMs === null);
if (bad.length > 0) {
  log(`${bad.length} trial(s) lost or doubled orders, or did not drain`);
  process.exitCode = 1;
}
