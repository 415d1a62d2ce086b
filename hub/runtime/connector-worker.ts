import type { BusAccessDeniedError, BusAdmin, BusConsumer, ConsumedRecord } from '../bus/index.js';
import { ConnectorDefinitionError, ERRORS, isSwitchboardError } from '../errors/index.js';
import type { Logger } from '../log/logger.js';
import { AppliedPositions } from '../state/applied-positions.js';
import { CompletedKeys } from '../state/completed-keys.js';
import { ParkedKeys } from '../state/parked-keys.js';
import type { ConnectorDefinition } from '../sdk/types.js';
import { ActionExecutor, type HttpDestination } from './action-executor.js';
import type { BatchLookups } from './batch-lookups.js';
import { EventPublisher } from './event-publisher.js';
import { connectorGroups, connectorTopics, ensureConnectorTopics, type ConnectorTopics } from './connector-topics.js';
import { ControlSubscription, readControlState, type ControlMessage } from './control.js';
import { EventProcessor } from './event-processor.js';
import { FailureSink } from './failure-sink.js';
import { headerlessTopics } from './headerless-records.js';
import { InFlightWatchdog } from './in-flight-watchdog.js';
import type { RuntimeServices } from './runtime-services.js';
import { measureLag, newWorkerId, removeWorkerStatus, writeWorkerStatus, type PartitionLag, type WorkerStatus } from './status.js';
import { newStats, type WorkerStats } from './worker-stats.js';
import { withOverrides, type WorkerOverrides } from './worker-overrides.js';
import { ConnectorMetrics } from './connector-metrics.js';

export interface ConnectorWorkerOptions {
  /** Default: host-pid-random. */
  readonly workerId?: string;
  /** How often status (with lag) is written to Redis. Default 5000 ms. */
  readonly statusIntervalMs?: number;
  /** How often the persisted control state is polled besides pub/sub. Default 3000 ms. */
  readonly controlPollMs?: number;
  /** Consumer session timeout: how soon a silent worker's partitions move. Default that of BusConsumer. */
  readonly sessionTimeoutMs?: number;
  /**
   * The connector stopped for good: Kafka refused its principal (a missing ACL). The worker has
   * stopped its consumers and reports `failed`; `switchboard worker` exits non-zero with the message.
   */
  readonly onFailed?: (error: Error) => void;
  /** Options that replace the connector's own, also in a hot-reloaded definition (WORKER_STALL_TIMEOUT_MS, ...). */
  readonly overrides?: WorkerOverrides;
}

/**
 * The session timeout of a connector's retry consumer (its group on `switchboard.retry.<connector>`).
 * Parked records wait for their time (a second and more) anyway, so this group may notice a
 * silent member later than the main one (6 s), and in return heartbeats less: every 5 s instead
 * of every 2 s, a third of the session (hub/bus heartbeatIntervalOf), for each idle connector
 * (bench/COMPARISONS.md, "The idle worker's CPU"). A killed worker's parked records move to
 * another after 15 s; a graceful stop hands them over at once.
 */
export const RETRY_SESSION_TIMEOUT_MS = 15_000;

/** Status reports between two lag measurements of an idle worker (see ConnectorWorker.lagDue). */
const IDLE_LAG_REPORTS = 6;

/**
 * One worker of one connector: a member of the connector's consumer group on its source
 * topics and of its retry group on `switchboard.retry.<connector>`, obeying the control
 * channel and reporting status. Run several (in one process or many) to share partitions.
 *
 * Lifecycle: `start()` checks topics, creates the retry and dead-letter topics, reads the
 * desired state (a paused connector starts paused) and joins the groups. `stop()` is the
 * SIGTERM path: stop fetching, finish started events, commit, leave the groups. `crash()`
 * exists for failure tests: it leaves without committing, like a killed process.
 */
export class ConnectorWorker {
  readonly workerId: string;
  readonly stats: WorkerStats = newStats();
  readonly topics: ConnectorTopics;
  readonly groups: { main: string; retry: string };
  private readonly logger: Logger;
  private readonly processor: EventProcessor;
  private readonly metrics: ConnectorMetrics;
  private readonly watchdog: InFlightWatchdog;
  private failure: Error | undefined;
  private readonly control: ControlSubscription;
  private main: BusConsumer<BatchLookups> | undefined;
  private retry: BusConsumer | undefined;
  private admin: BusAdmin | undefined;
  private statusTimer: NodeJS.Timeout | undefined;
  private converging: Promise<void> = Promise.resolve();
  private paused = false;
  private stopped = false;
  private currentState: WorkerStatus['state'] = 'starting';
  private lag: PartitionLag[] = [];
  private readonly startedAt = new Date().toISOString();
  /** The worker's consumed count when lag was last measured, and status reports since. */
  private lagMeasuredAt: { consumed: number; reports: number } | undefined;

  private current: ConnectorDefinition;

  constructor(
    definition: ConnectorDefinition,
    private readonly services: RuntimeServices,
    private readonly options: ConnectorWorkerOptions = {},
  ) {
    const { prefix } = services;
    definition = withOverrides(definition, options.overrides ?? {});
    this.current = definition;
    this.workerId = options.workerId ?? newWorkerId();
    this.logger = services.logger.child({ connector: definition.name });
    this.topics = connectorTopics(definition, prefix);
    this.groups = connectorGroups(definition.name, prefix);
    this.metrics = new ConnectorMetrics(definition.name, this.stats);
    this.metrics.setState('starting');
    const completed = new CompletedKeys(services.redis, prefix, definition.options.completedKeyTtlSeconds);
    this.watchdog = new InFlightWatchdog({
      deadlineMs: definition.options.stallTimeoutMs,
      logger: this.logger,
      onStall: () => this.metrics.stalled(),
      onStageEnded: (stage, ms) => this.metrics.stageTime(stage, ms),
      onStalledCount: (count) => {
        this.metrics.setStalled(count);
        this.metrics.setState(this.state);
      },
    });
    const target = definition.target;
    // The catalogue's systems at their configured URL; external APIs and tables through hub/adapters/sinks.
    const http: HttpDestination | undefined =
      'system' in target
        ? { baseUrl: services.systemUrls[target.system], timeoutMs: target.timeoutMs ?? 10_000, authorization: services.credentials.authorization(definition.name) }
        : target.kind === 'http' ? services.targets.http(target) : undefined;
    if ('system' in target && http?.authorization === undefined && services.credentials.principals().length > 0) {
      this.logger.warn('the credentials file has no token for this connector; the target will refuse its writes (401)');
    }
    const rows = !('system' in target) && target.kind === 'postgres' ? services.targets.rows(target) : undefined;
    this.processor = new EventProcessor({
      connector: definition,
      codec: services.codec,
      headerlessTopics: headerlessTopics(definition.source.topics, prefix),
      executor: new ActionExecutor({ http, rows, publish: new EventPublisher({ producer: services.producer, codec: services.codec, topicPrefix: prefix }).publish, completed, xref: services.xref }),
      completed,
      parked: new ParkedKeys(services.redis, prefix, definition.name),
      sink: new FailureSink(services.producer, this.topics, definition.name, this.logger),
      xref: services.xref,
      metrics: this.metrics,
      logger: this.logger,
      consumerGroup: this.groups.main,
      watchdog: this.watchdog,
      applied: new AppliedPositions(services.redis, prefix, definition.name, definition.options.completedKeyTtlSeconds),
      onAccessDenied: (error) => this.fail(error),
    });
    this.control = new ControlSubscription(services.redis, prefix, definition.name, (message) => this.onControl(message), options.controlPollMs);
  }

  get name(): string {
    return this.definition.name;
  }

  /**
   * The worker's state (`stalled` while running with an event past the stall deadline); each
   * change also moves the connector's `switchboard_connector_workers` gauge.
   */
  private get state(): WorkerStatus['state'] {
    return this.currentState === 'running' && this.watchdog.stalled(1).length > 0 ? 'stalled' : this.currentState;
  }

  private set state(state: WorkerStatus['state']) {
    this.currentState = state;
    this.metrics.setState(this.state);
  }

  /** The definition events are mapped with now (replaced by {@link swapDefinition}). */
  get definition(): ConnectorDefinition {
    return this.current;
  }

  /**
   * Hot reload: maps events with `next` from now on, without a restart (events in flight finish
   * under the old definition). Only the mapping, the event types and the description may change:
   * a different name, source topics, target or options would need new consumers or topics, so
   * they are refused with a ConnectorDefinitionError (restart the worker to apply them).
   *
   * @example
   * ```ts
   * worker.swapDefinition(loadDeclarativeConnector(file));
   * ```
   */
  swapDefinition(replacement: ConnectorDefinition): void {
    const next = withOverrides(replacement, this.options.overrides ?? {});
    const before = this.current;
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    const changed = [
      next.name !== before.name && 'name',
      !same(next.source.topics, before.source.topics) && 'source topics',
      !same(next.target, before.target) && 'target',
      !same(next.options, before.options) && 'options',
    ].filter((what): what is string => typeof what === 'string');
    if (changed.length > 0) throw new ConnectorDefinitionError([`${before.name}: ${changed.join(', ')} changed; restart the worker to apply that`]);
    this.processor.swapDefinition(next);
    this.current = next;
  }

  async start(): Promise<void> {
    try {
      await ensureConnectorTopics(this.services.bus, this.definition, this.topics);
    } catch (error) {
      // A source this principal may not read: final, like a refusal met later (state `failed`, reported once).
      if (isSwitchboardError(error) && error.code === ERRORS.BUS_ACCESS_DENIED.code) {
        this.fail(error);
        await this.converging;
      }
      throw error;
    }
    this.admin = this.services.bus.admin();
    await this.admin.connect();
    await this.control.start();
    this.watchdog.start();
    this.requestConverge(false);
    await this.converging;
    if (this.failure) throw this.failure;
    this.statusTimer = setInterval(() => void this.reportStatus(), this.options.statusIntervalMs ?? 5000);
    this.statusTimer.unref();
    await this.reportStatus();
  }

  /** Graceful stop (SIGTERM): stop fetching, finish started events, commit, leave the groups. */
  async stop(): Promise<void> {
    await this.shutdown(false);
  }

  /** For failure tests: leave the groups without committing what is in flight, like a killed process. */
  async crash(): Promise<void> {
    await this.shutdown(true);
  }

  /** This worker's status right now (also written to Redis every few seconds). */
  status(): WorkerStatus {
    return {
      connector: this.name,
      workerId: this.workerId,
      host: this.workerId.split('-')[0],
      pid: process.pid,
      state: this.state,
      startedAt: this.startedAt,
      updatedAt: new Date().toISOString(),
      assignment: this.main?.assignment ?? {},
      lag: this.lag,
      stats: { ...this.stats },
      stalled: this.watchdog.stalled(),
    };
  }

  private async shutdown(crash: boolean): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.state = 'stopping';
    if (this.statusTimer) clearInterval(this.statusTimer);
    this.watchdog.stop();
    await this.control.stop();
    await this.converging;
    await this.stopConsumers(crash);
    await this.admin?.close();
    this.metrics.setState(undefined);
    await removeWorkerStatus(this.services.redis, this.services.prefix, this.name, this.workerId).catch(() => undefined);
  }

  private onControl(message: ControlMessage): void {
    this.requestConverge(message.command === 'restart');
  }

  /** Control changes apply one at a time, in arrival order. */
  private requestConverge(restart: boolean): void {
    this.converging = this.converging
      .then(() => this.converge(restart))
      .catch((error: unknown) => this.logger.error({ err: error }, 'could not apply the control state'));
  }

  /**
   * Kafka refused this connector's principal (reading a source, writing a target, the retry or
   * dead-letter topic): retrying cannot grant it. Reported once, the consumers stop, the state
   * turns `failed`, and `onFailed` tells the process (the worker command exits non-zero).
   */
  private fail(error: BusAccessDeniedError | Error): void {
    if (this.failure || this.stopped) return;
    this.failure = error;
    this.metrics.noteError({ code: isSwitchboardError(error) ? error.code : 'unknown', message: error.message, at: new Date().toISOString() });
    this.logger.error({ err: error, code: isSwitchboardError(error) ? error.code : undefined }, `connector stopped: ${error.message}`);
    this.converging = this.converging
      .then(() => this.stopConsumers(false))
      .then(() => {
        this.state = 'failed';
        return this.reportStatus();
      })
      .catch((stopError: unknown) => this.logger.error({ err: stopError }, 'could not stop the failed connector\'s consumers'))
      .finally(() => this.options.onFailed?.(error));
  }

  private async converge(restart: boolean): Promise<void> {
    if (this.stopped || this.failure) return;
    const desired = await readControlState(this.services.redis, this.services.prefix, this.name);
    if (restart || desired.state === 'resetting') await this.stopConsumers(false);
    if (desired.state === 'resetting') {
      this.state = 'resetting';
      return;
    }
    if (!this.main) await this.startConsumers();
    if (desired.state === 'paused' && !this.paused) {
      this.main?.pause();
      this.retry?.pause();
      this.paused = true;
    } else if (desired.state === 'running' && this.paused) {
      this.main?.resume();
      this.retry?.resume();
      this.paused = false;
    }
    this.state = this.paused ? 'paused' : 'running';
  }

  private async startConsumers(): Promise<void> {
    const { concurrency } = this.definition.options;
    const common = {
      logger: this.logger,
      fromBeginning: this.services.fromBeginning,
      sessionTimeoutMs: this.options.sessionTimeoutMs,
      released: (record: ConsumedRecord) => this.watchdog.release(record),
      failed: (error: unknown) => this.fail(error instanceof Error ? error : new Error(String(error))),
    };
    this.main = this.services.bus.consumer({
      ...common,
      groupId: this.groups.main,
      topics: this.topics.sources,
      concurrency,
      partitionsConcurrently: 6,
      prepare: (records) => this.processor.prepare(records),
      handle: (record, signal, lookups) => this.processor.process(record, 'source', signal, lookups),
    });
    // Parked records mostly wait for their time; more of them may wait at once.
    this.retry = this.services.bus.consumer({
      ...common,
      fromBeginning: true,
      sessionTimeoutMs: RETRY_SESSION_TIMEOUT_MS,
      groupId: this.groups.retry,
      topics: [this.topics.retry],
      concurrency: Math.max(concurrency, 32),
      partitionsConcurrently: 6,
      // No read-ahead: parked records wait for their time, and what they need is asked when it comes.
      handle: (record, signal) => this.processor.process(record, 'retry', signal),
    });
    this.paused = false;
    try {
      await Promise.all([this.main.start(), this.retry.start()]);
    } catch (error) {
      // A refusal at start (no ACL to read a source): the same final failure as one met later.
      if (isSwitchboardError(error) && error.code === ERRORS.BUS_ACCESS_DENIED.code) this.fail(error);
      throw error;
    }
  }

  /**
   * Whether this status report measures lag (a few requests to Kafka per connector). Always
   * while records flow or lag was left; when nothing was consumed since a measurement that
   * found no lag, only every IDLE_LAG_REPORTS-th report: an idle worker's lag stays 0 unless
   * records arrive, and those it consumes within milliseconds (a stuck consumer's growing lag
   * then shows within that many reports; the console measures lag from Kafka itself anyway).
   */
  private lagDue(): boolean {
    const last = this.lagMeasuredAt;
    if (!last || this.stats.consumed !== last.consumed || this.lag.some((entry) => entry.lag > 0) || this.paused) return true;
    last.reports += 1;
    return last.reports >= IDLE_LAG_REPORTS;
  }

  private async stopConsumers(crash: boolean): Promise<void> {
    const consumers: { stop(): Promise<void>; crash(): Promise<void> }[] = [this.main, this.retry].filter((c) => c !== undefined);
    this.main = undefined;
    this.retry = undefined;
    await Promise.all(consumers.map((consumer) => (crash ? consumer.crash() : consumer.stop())));
  }

  private async reportStatus(): Promise<void> {
    try {
      if (this.admin && this.main && this.lagDue()) {
        this.lag = await measureLag(this.admin, this.groups.main, this.main.assignment);
        this.metrics.setLag(this.lag);
        this.lagMeasuredAt = { consumed: this.stats.consumed, reports: 0 };
      }
      await writeWorkerStatus(this.services.redis, this.services.prefix, this.status());
    } catch (error) {
      this.logger.debug({ err: error }, 'could not write status');
    }
  }
}
