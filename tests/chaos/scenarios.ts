/**
 * The chaos scenarios: each runs a stream of orders through a running system (the processes
 * `switchboard up` runs), injects one kind of fault into it — never into the shared Kafka or
 * Redis, only into a private stack's — and returns one row: orders sent, accepted, applied,
 * duplicated, lost, dead letters, stalled events, and the time from the end of the fault until
 * every accepted order had all its effects. The CI tests (`*.int.test.ts` here) run each once
 * with few orders; `npm run chaos` (run.ts) runs them 20 times with more.
 */
import { Redis } from 'ioredis';
import { CONNECTORS } from '../../connectors/index.js';
import { topicName, topicSpec } from '../../catalogue/index.js';
import { Bus, type PartitionOffsets } from '../../hub/bus/index.js';
import { createLogger } from '../../hub/log/logger.js';
import { connectorGroups, connectorTopics } from '../../hub/runtime/connector-topics.js';
import { partitionLag, readWorkerStatuses } from '../../hub/runtime/status.js';
import type { ToxiproxyClient } from '../../stack/index.js';
import type { PrivateStack } from '../kit/private-stack.js';
import type { RunningSystem } from '../kit/system.js';
import { deadLetterCounts } from '../kit/system-bus.js';
import { Dispatcher, OrderStream, call, drain, seedWorld, type Ledger, type World } from './order-flow.js';

/** One trial of one scenario. */
export interface TrialResult {
  readonly scenario: string;
  readonly trial: number;
  /** Orders the client tried to place. */
  readonly sent: number;
  /** Orders the CRM accepted (201), possibly after retries. */
  readonly accepted: number;
  /** Accepted orders with all their effects, each exactly once. */
  readonly applied: number;
  /** Accepted orders with an effect applied twice (two sales orders or two shipments). */
  readonly duplicated: number;
  /** Accepted orders still missing an effect when the drain timed out. */
  readonly lost: number;
  /** Events dead-lettered during the trial (none should be: every fault is retriable). */
  readonly deadLetters: number;
  /** Distinct events some worker reported stalled during the trial (expected while Kafka or Redis is away). */
  readonly stallsSeen: number;
  /** Events still reported stalled 30 s after the orders had drained (a stall nobody resolves; must be 0). */
  readonly stalledAtEnd: number;
  /** From the end of the fault until every accepted order had its effects; null: not within the timeout. */
  readonly drainMs: number | null;
  /** Events of one key out of order on its topic (service-crash only). */
  readonly reordered?: number;
  /** What else the scenario observed (e.g. orders applied while a broker was down, the outbox backlog). */
  readonly notes: string;
  /** A few orders that were lost or duplicated, with what they had. */
  readonly missingSample: readonly string[];
  /** The steps of the order that completed last, in seconds from the end of the fault (where the drain time went). */
  readonly slowest: string;
}

/** How big a trial is. */
export interface TrialSize {
  readonly orders: number;
  readonly perSecond: number;
  /** How long the drain may take before the remaining orders count as lost. */
  readonly drainTimeoutMs: number;
}

/** What a scenario runs against. */
export interface ChaosContext {
  readonly system: RunningSystem;
  /** The private stack under the system, when the scenario kills Kafka or Redis. */
  readonly stack?: PrivateStack;
  /** Toxiproxy and the proxy between the workers and the ERP. */
  readonly toxiproxy?: { readonly client: ToxiproxyClient; readonly proxy: string };
  readonly log: (line: string) => void;
}

/** A named scenario. */
export interface Scenario {
  readonly name: string;
  readonly title: string;
  /** The fault holds events up past the stall deadline: the watchdog must report some while it lasts. */
  readonly provokesStall?: boolean;
  run(context: ChaosContext, size: TrialSize, trial: number): Promise<TrialResult>;
}

const CONNECTOR_NAMES = CONNECTORS.map((connector) => connector.name);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const worlds = new WeakMap<RunningSystem, Promise<World>>();

/** The seeded customers and products of a system, made once and shared by its trials. */
function worldOf(system: RunningSystem): Promise<World> {
  let world = worlds.get(system);
  if (!world) {
    world = seedWorld(system, 'chaos');
    worlds.set(system, world);
  }
  return world;
}

/** Follows the workers' status in Redis: every event reported stalled, and those stalled now. */
class StallWatch {
  private readonly redis: Redis;
  private readonly seen = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly system: RunningSystem) {
    this.redis = new Redis(system.redisUrl, { maxRetriesPerRequest: 1, commandTimeout: 2000, lazyConnect: true, retryStrategy: () => 500 });
    this.redis.on('error', () => undefined); // Redis may be the fault: a missed sample is fine.
  }

  start(): this {
    this.timer = setInterval(() => void this.sample(), 1000);
    return this;
  }

  get count(): number {
    return this.seen.size;
  }

  /** Events stalled according to the live workers' last status. */
  async stalledNow(): Promise<number> {
    const statuses = await readWorkerStatuses(this.redis, this.system.prefix).catch(() => []);
    return statuses.reduce((sum, status) => sum + (status.stalled?.length ?? 0), 0);
  }

  /**
   * Events still stalled once they had `graceMs` to settle (0 as soon as none is): an event the
   * fault held up may still be finishing when its order's effects are all there (a call that
   * timed out at the worker but was applied by the target is tried again), and the workers write
   * their status every few seconds. What is left after that is a stall nobody resolves.
   */
  async stalledAfter(graceMs: number): Promise<number> {
    const deadline = Date.now() + graceMs;
    let stalled = await this.stalledNow();
    while (stalled > 0 && Date.now() < deadline) {
      await sleep(1000);
      stalled = await this.stalledNow();
    }
    return stalled;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.redis.disconnect();
  }

  private async sample(): Promise<void> {
    const statuses = await readWorkerStatuses(this.redis, this.system.prefix).catch(() => []);
    for (const status of statuses) for (const event of status.stalled ?? []) this.seen.add(`${event.topic}:${event.partition}:${event.offset}:${event.stage}`);
  }
}

async function deadLettersNow(system: RunningSystem): Promise<number> {
  const counts = await deadLetterCounts(system.prefix, CONNECTOR_NAMES, system.bus);
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}

/**
 * Runs one trial: seeds (once per system), streams orders, lets `fault` do its damage while
 * they flow (it resolves with the moment the fault ended), then waits for every accepted order.
 */
async function trialOf(
  name: string,
  context: ChaosContext,
  size: TrialSize,
  trial: number,
  fault: (stream: OrderStream) => Promise<{ endedAt: number; notes?: string }>,
  options: { cancelEvery?: number; check?: (stream: OrderStream) => Promise<{ reordered: number }> } = {},
): Promise<TrialResult> {
  const { system, log } = context;
  const world = await worldOf(system);
  const deadBefore = await deadLettersNow(system);
  const stream = new OrderStream(system, { ...world, label: `${world.label}-${name}-${trial}` }, { orders: size.orders, perSecond: size.perSecond, cancelEvery: options.cancelEvery }).start();
  const dispatcher = new Dispatcher(system, stream).start();
  const stalls = new StallWatch(system).start();
  try {
    const { endedAt, notes } = await fault(stream);
    log(`${name} #${trial}: fault over; draining ${stream.accepted.length} accepted orders so far`);
    const { ledger, drainMs, slowest } = await drain(system, stream, endedAt, size.drainTimeoutMs);
    const check = options.check ? await options.check(stream) : undefined;
    const stalledAtEnd = await stalls.stalledAfter(30_000);
    const behind = ledger.missing > 0 ? await connectorsBehind(system) : '';
    return row(name, trial, stream, ledger, drainMs, (await deadLettersNow(system)) - deadBefore, stalls.count, stalledAtEnd, [notes, behind].filter(Boolean).join('; '), check?.reordered, slowest);
  } finally {
    stream.stop();
    dispatcher.stop();
    await stalls.stop();
  }
}

function row(name: string, trial: number, stream: OrderStream, ledger: Ledger, drainMs: number | null, deadLetters: number, stallsSeen: number, stalledAtEnd: number, notes: string, reordered: number | undefined, slowest: string): TrialResult {
  return {
    scenario: name, trial, sent: stream.sent, accepted: stream.accepted.length, applied: ledger.applied, duplicated: ledger.duplicated, lost: ledger.missing,
    deadLetters, stallsSeen, stalledAtEnd, drainMs, notes, slowest, missingSample: ledger.missingSample, ...(reordered === undefined ? {} : { reordered }),
  };
}

/** The connectors whose workers report lag or events in flight, for a trial that did not drain. */
async function connectorsBehind(system: RunningSystem): Promise<string> {
  const redis = new Redis(system.redisUrl, { maxRetriesPerRequest: 1, commandTimeout: 2000 });
  redis.on('error', () => undefined);
  try {
    const statuses = await readWorkerStatuses(redis, system.prefix);
    const behind = statuses
      .filter((status) => status.lag.some((p) => p.lag > 0) || status.stats.consumed > status.stats.delivered + status.stats.skipped + status.stats.parked + status.stats.deadLettered)
      .map((status) => `${status.connector}@${status.pid} ${status.state} lag ${status.lag.filter((p) => p.lag > 0).map((p) => `${p.topic.split('.').slice(-3).join('.')}[${p.partition}]=${p.lag}`).join(',')} stats ${JSON.stringify({ ...status.stats, lastError: status.stats.lastError?.code })}`);
    const workers = behind.length > 0 ? `behind: ${behind.join(' | ')}` : 'no connector reports lag';
    const backlogs = await outboxBacklogs(system);
    return `${workers}; ${await kafkaLagOf(system)}; outbox ${SERVICES.map((name, i) => `${name} ${backlogs[i]}`).join(', ')}`;
  } catch (error) {
    return `status unreadable: ${String(error)}`;
  } finally {
    redis.disconnect();
  }
}

/**
 * Lag of every connector's group on every partition of its sources, from Kafka itself (a worker
 * reports only the partitions assigned to it, so a partition no member holds shows nowhere else).
 * With the outbox backlogs, it tells a missing event that never reached its topic (no lag, empty
 * outbox) from one a connector has not applied (lag) or a service has not published (backlog).
 */
async function kafkaLagOf(system: RunningSystem): Promise<string> {
  const admin = new Bus(system.bus, createLogger('chaos', { level: 'silent' }), 'chaos').admin();
  await admin.connect();
  try {
    const lagging: string[] = [];
    // Several connectors read one topic: its end offsets are asked once.
    const endsOf = new Map<string, Promise<PartitionOffsets[]>>();
    for (const connector of CONNECTORS) {
      const { sources } = connectorTopics(connector, system.prefix);
      const committed = await admin.committedOffsets(connectorGroups(connector.name, system.prefix).main, sources);
      for (const topic of sources) {
        if (!endsOf.has(topic)) endsOf.set(topic, admin.topicOffsets(topic));
        for (const end of (await endsOf.get(topic)) ?? []) {
          const offset = committed.find((c) => c.topic === topic && c.partition === end.partition)?.offset ?? '-1';
          const lag = partitionLag(offset, end.low, end.high);
          if (lag > 0) lagging.push(`${connector.name} ${topic.slice(system.prefix.length)}[${end.partition}]=${lag}`);
        }
      }
    }
    return lagging.length > 0 ? `Kafka: ${lagging.join(', ')}` : 'Kafka: every group at its topics\' end';
  } catch (error) {
    return `Kafka lag unreadable: ${String(error)}`;
  } finally {
    await admin.close();
  }
}

const SERVICES = ['crm', 'erp', 'scm'] as const;

/** Each service's outbox backlog by its own metric, in the order of SERVICES. */
function outboxBacklogs(system: RunningSystem): Promise<number[]> {
  return Promise.all(SERVICES.map((name) => metricSum(system.urls[name], 'switchboard_outbox_backlog_events')));
}

/** The three outbox backlogs added up. */
async function outboxBacklogTotal(system: RunningSystem): Promise<number> {
  return (await outboxBacklogs(system)).reduce((a, b) => a + b, 0);
}

/** Sum of a metric's samples (all label sets) on a process's /metrics. */
async function metricSum(baseUrl: string, metric: string): Promise<number> {
  const response = await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(3000) }).catch(() => undefined);
  if (!response?.ok) return 0;
  const text = await response.text();
  return text.split('\n').filter((line) => line.startsWith(`${metric} `) || line.startsWith(`${metric}{`)).reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

/** Orders of the stream whose CRM order the ERP has confirmed so far (a sign the flow goes on). */
async function confirmedSoFar(system: RunningSystem, stream: OrderStream): Promise<number> {
  const answer = await call(system.urls.erp, 'GET', '/sales-orders');
  if (answer.status !== 200) return 0;
  const ours = new Set(stream.accepted);
  return (answer.body as { crmOrderId: string }[]).filter((order) => ours.has(order.crmOrderId)).length;
}

/** How long the stream runs, so a fault can sit in its middle. */
const streamMs = (size: TrialSize) => (size.orders * 1000) / size.perSecond;

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'worker-crash-loop',
    title: 'a worker killed with kill -9 again and again (restarted each time) while two others run',
    run: (context, size, trial) => trialOf('worker-crash-loop', context, size, trial, async () => {
      const { system } = context;
      if (system.workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null).length < 3) throw new Error('worker-crash-loop needs a system with three workers');
      const kills = Math.max(2, Math.round(streamMs(size) / 6000));
      let victim = system.workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null)[0];
      for (let kill = 0; kill < kills; kill++) {
        await sleep(streamMs(size) / (kills + 1));
        await system.stopProcess(victim, 'SIGKILL');
        victim = await system.startWorker();
      }
      return { endedAt: Date.now(), notes: `${kills} kills` };
    }),
  },
  {
    name: 'service-crash',
    title: 'the CRM, then the ERP, killed with kill -9 while they write (orders and cancellations), restarted 3 s later',
    run: (context, size, trial) => trialOf('service-crash', context, size, trial, async () => {
      const { system } = context;
      for (const name of ['crm', 'erp'] as const) {
        await sleep(streamMs(size) / 3);
        await system.stopService(name, 'SIGKILL');
        await sleep(3000);
        await system.startService(name);
      }
      return { endedAt: Date.now() };
    }, { cancelEvery: 4, check: (stream) => reorderedOnCrmTopic(context.system, stream) }),
  },
  {
    name: 'flaky-network',
    title: 'Toxiproxy between the workers and the ERP: latency, then connection resets, then hanging connections',
    run: (context, size, trial) => trialOf('flaky-network', context, size, trial, async () => {
      const toxi = context.toxiproxy;
      if (!toxi) throw new Error('flaky-network needs a Toxiproxy proxy in front of the ERP');
      const phase = streamMs(size) / 4;
      await sleep(phase / 2);
      await toxi.client.addToxic(toxi.proxy, { name: 'slow', type: 'latency', attributes: { latency: 300, jitter: 200 } });
      await sleep(phase);
      await toxi.client.addToxic(toxi.proxy, { name: 'resets', type: 'reset_peer', toxicity: 0.3, attributes: { timeout: 50 } });
      await sleep(phase);
      await toxi.client.removeToxic(toxi.proxy, 'resets');
      await toxi.client.addToxic(toxi.proxy, { name: 'hangs', type: 'timeout', toxicity: 0.2, attributes: { timeout: 0 } });
      await sleep(phase);
      await toxi.client.reset();
      return { endedAt: Date.now() };
    }),
  },
  {
    name: 'slow-target',
    provokesStall: true,
    title: 'Toxiproxy adds 12 s of latency between the workers and the ERP for 25 s (above the stall deadline and the call timeout): the watchdog must report the stuck events, which apply once after',
    run: (context, size, trial) => trialOf('slow-target', context, size, trial, async () => {
      const toxi = context.toxiproxy;
      if (!toxi) throw new Error('slow-target needs a Toxiproxy proxy in front of the ERP');
      await sleep(Math.min(streamMs(size) / 4, 5000));
      await toxi.client.addToxic(toxi.proxy, { name: 'stuck', type: 'latency', attributes: { latency: 12_000, jitter: 0 } });
      await sleep(25_000);
      await toxi.client.reset();
      return { endedAt: Date.now(), notes: 'ERP 12 s slower for 25 s' };
    }),
  },
  {
    name: 'redis-restart',
    title: 'Redis killed with kill -9 and started again empty 5 s later (done-marks, parked keys, cross-references gone)',
    run: (context, size, trial) => trialOf('redis-restart', context, size, trial, async () => {
      const stack = context.stack;
      if (!stack) throw new Error('redis-restart needs a private stack');
      await sleep(streamMs(size) / 3);
      await stack.killRedis();
      await sleep(5000);
      await stack.startRedis();
      return { endedAt: Date.now() };
    }),
  },
  {
    name: 'broker-crash',
    title: 'the broker killed with kill -9, restarted 20 s later with its data; the services keep accepting orders',
    run: (context, size, trial) => trialOf('broker-crash', context, size, trial, async (stream) => {
      const stack = context.stack;
      if (!stack) throw new Error('broker-crash needs a private stack');
      await sleep(Math.min(streamMs(size) / 3, 5000));
      const acceptedBefore = stream.accepted.length;
      await stack.killBroker();
      const killedAt = Date.now();
      await sleep(20_000);
      const acceptedDuring = stream.accepted.length - acceptedBefore;
      const backlog = await outboxBacklogTotal(context.system);
      const restartAt = Date.now();
      await stack.startBrokers();
      const backAt = Date.now();
      return { endedAt: backAt, notes: `${acceptedDuring} orders accepted while the broker was down; outbox backlog ${backlog}; down ${((backAt - killedAt) / 1000).toFixed(1)} s (restart took ${((backAt - restartAt) / 1000).toFixed(1)} s)` };
    }),
  },
];

/** The three-broker cluster: one broker down (the flow goes on), then two (producers fail, outboxes hold the events). */
export const CLUSTER_SCENARIOS: readonly Scenario[] = [
  {
    name: 'cluster-one-down',
    title: 'three brokers (RF 3, min ISR 2, acks=all): one killed with kill -9 for 20 s',
    run: (context, size, trial) => trialOf('cluster-one-down', context, size, trial, async (stream) => {
      const stack = context.stack;
      if (!stack || stack.nodeIds.length !== 3) throw new Error('cluster-one-down needs a private three-broker stack');
      await sleep(Math.min(streamMs(size) / 4, 5000));
      const victim = stack.nodeIds[(trial % 3)];
      await stack.killBroker(victim);
      const before = await confirmedSoFar(context.system, stream);
      await sleep(20_000);
      const during = (await confirmedSoFar(context.system, stream)) - before;
      await stack.startBrokers();
      return { endedAt: Date.now(), notes: `node ${victim} down: ${during} orders confirmed by the ERP meanwhile` };
    }),
  },
  {
    name: 'cluster-two-down',
    title: 'three brokers: two killed with kill -9 for 20 s (no quorum, no ISR): producers fail, outboxes hold the events',
    run: (context, size, trial) => trialOf('cluster-two-down', context, size, trial, async (stream) => {
      const stack = context.stack;
      if (!stack || stack.nodeIds.length !== 3) throw new Error('cluster-two-down needs a private three-broker stack');
      await sleep(Math.min(streamMs(size) / 4, 5000));
      const victims = stack.nodeIds.filter((id) => id !== stack.nodeIds[trial % 3]);
      const acceptedBefore = stream.accepted.length;
      await Promise.all(victims.map((id) => stack.killBroker(id)));
      let backlog = 0;
      for (let waited = 0; waited < 20_000; waited += 2000) {
        await sleep(2000);
        const now = await outboxBacklogTotal(context.system);
        backlog = Math.max(backlog, now);
      }
      const acceptedDuring = stream.accepted.length - acceptedBefore;
      await stack.startBrokers();
      return { endedAt: Date.now(), notes: `nodes ${victims.join(', ')} down: ${acceptedDuring} orders accepted meanwhile, outbox backlog up to ${backlog}` };
    }),
  },
];

/**
 * Events of one CRM order out of order on `crm.order.v1`: for each cancelled order, its first
 * OrderCancelled before its first OrderPlaced (a service's outbox must keep a key's order, also
 * across a kill -9).
 */
async function reorderedOnCrmTopic(system: RunningSystem, stream: OrderStream): Promise<{ reordered: number }> {
  const bus = new Bus(system.bus, createLogger('chaos', { level: 'silent' }), 'chaos');
  const records = await bus.readTopicToEnd(topicName(topicSpec('crm', 'order'), system.prefix), 60_000);
  const firsts = new Map<string, { placed?: bigint; cancelled?: bigint }>();
  for (const record of records) {
    const key = record.key?.toString('utf8') ?? '';
    if (!stream.cancelled.has(key)) continue;
    const entry = firsts.get(key) ?? {};
    const type = record.headers.ce_type ?? '';
    if (type.endsWith('OrderPlaced')) entry.placed ??= BigInt(record.offset);
    if (type.endsWith('OrderCancelled')) entry.cancelled ??= BigInt(record.offset);
    firsts.set(key, entry);
  }
  let reordered = 0;
  for (const id of stream.cancelled) {
    const entry = firsts.get(id);
    if (!entry || entry.placed === undefined || entry.cancelled === undefined || entry.cancelled < entry.placed) reordered++;
  }
  return { reordered };
}
