import { CDC_TABLES, type CdcTableSpec } from '../../../catalogue/index.js';
import type { Bus, BusProducer } from '../../bus/index.js';
import { isRetriable, isSwitchboardError } from '../../errors/index.js';
import type { Logger } from '../../log/logger.js';
import { Backoff, sleep } from '../../retry/index.js';
import type { AvroCodec } from '../../schema/codec/avro-codec.js';
import { capturedTable, type CapturedTable } from './captured-table.js';
import { ChangePublisher } from './change-publisher.js';
import { ChangeQueue } from './change-queue.js';
import { changeRecord } from './change-record.js';
import { CdcState } from './cdc-state.js';
import { CdcSlotBusyError, PostgresSource, connect } from './postgres-source.js';
import { ReplicationStream } from './replication-stream.js';
import { createSlotWithSnapshot, readSnapshotRows } from './snapshot.js';

/** Settings of a {@link CdcSource}. */
export interface CdcSourceOptions {
  readonly databaseUrl: string;
  /** The catalogue source captured (CDC_TABLES entries with this `source`). */
  readonly source: string;
  readonly slot: string;
  readonly publication: string;
  readonly bus: Bus;
  readonly producer: BusProducer;
  /** A codec on the schema registry; the derived schemas are registered through it. */
  readonly codec: AvroCodec;
  /** Prefix of topics, subjects and the state topic (test isolation); '' in production. */
  readonly prefix: string;
  readonly logger: Logger;
  readonly batchSize?: number;
  readonly heartbeatMs?: number;
  /** Changes held in memory before the stream pauses. Default 5000. */
  readonly highWater?: number;
}

/** What the source is doing. */
export type CdcSourceState = 'starting' | 'snapshotting' | 'streaming' | 'reconnecting' | 'stopped' | 'failed';

/** A snapshot for logs, tests and benchmarks. */
export interface CdcSourceStatus {
  readonly state: CdcSourceState;
  /** Changes acknowledged by Kafka since start (snapshot rows included). */
  readonly published: number;
  /** Changes read and not yet acknowledged. */
  readonly queued: number;
  /** The LSN last confirmed to PostgreSQL. */
  readonly confirmedLsn: string | undefined;
}

/**
 * Change-data capture of one PostgreSQL database into Kafka: every change of the catalogue's
 * tables of one source becomes an Avro event on `cdc.<source>.<schema>.<table>`, keyed by
 * primary key, in commit order per key, with CloudEvents headers and an id stable across
 * redelivery (docs/adapters.md).
 *
 * Start: the publication is made to publish exactly the catalogue's tables; when the slot has
 * no complete snapshot (first start, or a start after one was interrupted) the slot is
 * (re)created with an exported snapshot, the tables are read in it and published, and the
 * completion is recorded in `switchboard.cdc.state`; then the slot is streamed from its
 * confirmed position. A commit's LSN is confirmed only once Kafka has acknowledged every change
 * up to it, so a crash at any moment loses nothing; what was published but not confirmed comes
 * again with the same ids. A broken connection is reconnected with backoff; a schema the
 * registry refuses stops capture (`failure`).
 *
 * @example
 * ```ts
 * const cdc = new CdcSource({ databaseUrl, source: 'legacy-warehouse', slot, publication, bus, producer, codec, prefix: '', logger });
 * await cdc.start();          // resolves once streaming
 * const error = await cdc.failure; // only if capture stops for good
 * await cdc.stop();
 * ```
 */
export class CdcSource {
  private readonly specs: readonly CdcTableSpec[];
  private readonly queue: ChangeQueue;
  private readonly publisher: ChangePublisher;
  private readonly stream: ReplicationStream;
  private readonly state: CdcState;
  private readonly logger: Logger;
  private meta: PostgresSource | undefined;
  private readonly keys = new Map<string, readonly string[]>();
  private readonly current = new Map<string, CapturedTable>();
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private lifecycle: CdcSourceState = 'stopped';
  private recovering: Promise<void> | undefined;
  private fail: (error: unknown) => void = () => undefined;
  /** Resolves with the error that stopped capture for good (never while it runs). */
  readonly failure: Promise<unknown>;

  constructor(private readonly options: CdcSourceOptions) {
    this.specs = CDC_TABLES.filter((spec) => spec.source === options.source);
    if (this.specs.length === 0) throw new RangeError(`topics/catalogue.ts has no CDC table of source ${options.source}`);
    this.logger = options.logger.child({ component: 'cdc', source: options.source });
    this.queue = new ChangeQueue({ highWater: options.highWater });
    this.failure = new Promise((resolve) => {
      this.fail = (error) => {
        this.lifecycle = 'failed';
        resolve(error);
      };
    });
    this.publisher = new ChangePublisher({
      queue: this.queue,
      producer: options.producer,
      codec: options.codec,
      logger: this.logger,
      batchSize: options.batchSize,
      onFatal: (error) => void this.stopFor(error),
    });
    this.stream = new ReplicationStream({
      databaseUrl: options.databaseUrl,
      slot: options.slot,
      publication: options.publication,
      queue: this.queue,
      tableOf: async (relation) => this.tableOf(relation.schema, relation.name, relation.columns.map((column) => ({ name: column.name, typeOid: column.typeOid }))),
      onFailure: (error) => this.onStreamFailure(error),
      logger: this.logger,
    });
    this.state = new CdcState(options.bus, options.producer, options.prefix);
  }

  status(): CdcSourceStatus {
    return { state: this.lifecycle, published: this.publisher.published, queued: this.queue.size, confirmedLsn: this.stream.confirmed };
  }

  /** Prepares the database, publishes a snapshot when the slot has no complete one, and resolves once streaming. */
  async start(): Promise<void> {
    this.lifecycle = 'starting';
    this.meta = new PostgresSource(await connect(this.options.databaseUrl));
    await this.meta.checkLogical();
    for (const spec of this.specs) {
      const { columns, keyColumns } = await this.meta.describe(spec);
      this.keys.set(this.keyOf(spec.schema, spec.table), keyColumns);
      this.current.set(this.keyOf(spec.schema, spec.table), capturedTable(spec, columns, keyColumns, this.options.prefix));
    }
    await this.meta.ensurePublication(this.options.publication, this.specs);
    await this.state.ensureTopic();
    this.publisher.start();
    const startLsn = await this.prepareSlot();
    await this.startStreaming(startLsn);
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), Math.max(100, Math.floor((this.options.heartbeatMs ?? 10_000) / 2)));
    this.heartbeatTimer.unref();
  }

  /** Stops streaming and publishing; what was read but not confirmed comes again on the next start. */
  async stop(): Promise<void> {
    clearInterval(this.heartbeatTimer);
    if (this.lifecycle !== 'failed') this.lifecycle = 'stopped';
    await this.stream.stop();
    await this.publisher.stop();
    await this.meta?.close();
  }

  private keyOf(schema: string, table: string): string {
    return `${schema}.${table}`;
  }

  /** The slot to stream and where to start: reused when its snapshot is complete, else made anew with a snapshot published first. */
  private async prepareSlot(): Promise<string | null> {
    const meta = this.meta as PostgresSource;
    const { slot, source } = this.options;
    const saved = await this.state.read(source);
    let existing = await this.waitUntilFree(slot);
    if (existing && saved?.snapshotSlot === slot) return existing.confirmedFlushLsn;
    if (existing) {
      this.logger.warn({ slot }, 'the snapshot of this slot was not completed; dropping the slot and taking a new snapshot');
      await meta.dropSlot(slot);
      existing = undefined;
    } else if (saved) {
      this.logger.warn({ slot, previous: saved.snapshotSlot }, 'the replication slot is gone; taking a new snapshot');
    }
    return this.snapshot();
  }

  /** The slot's state, waiting (up to 30 s) for a previous process's walsender to let go of it. */
  private async waitUntilFree(slot: string) {
    const meta = this.meta as PostgresSource;
    const backoff = new Backoff({ initialMs: 200, maxMs: 2000 });
    const deadline = Date.now() + 30_000;
    for (;;) {
      const info = await meta.slot(slot);
      if (!info?.active) return info;
      if (Date.now() > deadline) throw new CdcSlotBusyError(`replication slot ${slot} is streamed by another process; stop it, or give this one its own CDC_SLOT`);
      await sleep(backoff.next());
    }
  }

  private async snapshot(): Promise<string> {
    this.lifecycle = 'snapshotting';
    const { databaseUrl, slot, source } = this.options;
    const created = await createSlotWithSnapshot(databaseUrl, slot);
    const reader = await connect(databaseUrl);
    const takenAt = Date.now();
    let rows = 0;
    try {
      const tables = this.specs.map((spec) => this.current.get(this.keyOf(spec.schema, spec.table)) as CapturedTable);
      for await (const batch of readSnapshotRows(reader, created.snapshotName, tables)) {
        await this.queue.room();
        for (const row of batch.rows) {
          this.queue.push({ kind: 'change', record: changeRecord(batch.table, { op: 'snapshot', before: null, after: row, lsn: created.consistentPoint, committedAt: takenAt, txId: null }) });
        }
        rows += batch.rows.length;
      }
      const published = new Promise<void>((resolve) => this.queue.push({ kind: 'mark', reached: resolve }));
      await Promise.race([published, this.failure.then((error) => Promise.reject(error))]);
    } finally {
      await reader.end().catch(() => undefined);
      await created.release();
    }
    await this.state.snapshotComplete(source, { snapshotSlot: slot, snapshotLsn: created.consistentPoint, completedAt: new Date().toISOString() });
    this.logger.info({ slot, rows, lsn: created.consistentPoint }, 'snapshot published');
    return created.consistentPoint;
  }

  private async startStreaming(startLsn: string | null): Promise<void> {
    await this.stream.start(startLsn);
    this.lifecycle = 'streaming';
    this.logger.info({ slot: this.options.slot, from: startLsn }, 'streaming changes');
  }

  /** The captured table a Relation message describes, rebuilt when its columns changed (the derived schema then evolves). */
  private async tableOf(schema: string, name: string, columns: readonly { name: string; typeOid: number }[]): Promise<CapturedTable | undefined> {
    const spec = this.specs.find((candidate) => candidate.schema === schema && candidate.table === name);
    if (!spec) return undefined;
    const key = this.keyOf(schema, name);
    const known = this.current.get(key);
    if (known && JSON.stringify(known.columns) === JSON.stringify(columns)) return known;
    // Columns changed: the primary key may have too.
    const keyColumns = this.meta ? (await this.meta.describe(spec)).keyColumns : (this.keys.get(key) ?? []);
    const table = capturedTable(spec, columns, keyColumns, this.options.prefix);
    this.current.set(key, table);
    this.logger.info({ table: key, columns: columns.map((column) => column.name) }, 'table columns changed; its events get a new schema version');
    return table;
  }

  /** An idle source writes a logical message now and then, so a commit moves the slot's confirmed position. */
  private async heartbeat(): Promise<void> {
    if (this.lifecycle !== 'streaming' || !this.queue.empty) return;
    if (Date.now() - this.stream.confirmedAt < (this.options.heartbeatMs ?? 10_000)) return;
    try {
      await this.meta?.heartbeat();
    } catch (error) {
      this.logger.debug({ err: error }, 'heartbeat message failed');
    }
  }

  private onStreamFailure(error: unknown): void {
    if (this.lifecycle === 'stopped' || this.lifecycle === 'failed') return;
    if (!isRetriable(error)) {
      void this.stopFor(error);
      return;
    }
    this.recovering ??= this.reconnect(error).finally(() => {
      this.recovering = undefined;
    });
  }

  /** Drops what was read but not published (PostgreSQL sends it again) and streams again from the slot's confirmed position. */
  private async reconnect(error: unknown): Promise<void> {
    this.lifecycle = 'reconnecting';
    this.logger.warn({ err: error, code: isSwitchboardError(error) ? error.code : undefined }, 'replication interrupted; reconnecting');
    const backoff = new Backoff({ initialMs: 500, maxMs: 10_000 });
    await this.stream.stop();
    await this.publisher.stop();
    this.queue.clear();
    while (this.lifecycle === 'reconnecting') {
      await sleep(backoff.next());
      try {
        await this.meta?.close();
        this.meta = new PostgresSource(await connect(this.options.databaseUrl));
        const slot = await this.waitUntilFree(this.options.slot);
        this.publisher.start();
        await this.startStreaming(slot?.confirmedFlushLsn ?? null);
        return;
      } catch (retry) {
        await this.stream.stop();
        await this.publisher.stop();
        this.queue.clear();
        if (!isRetriable(retry)) {
          await this.stopFor(retry);
          return;
        }
        this.logger.warn({ err: retry }, 'reconnecting failed; trying again');
      }
    }
  }

  private async stopFor(error: unknown): Promise<void> {
    if (this.lifecycle === 'failed') return;
    this.logger.error({ err: error, code: isSwitchboardError(error) ? error.code : undefined }, 'change-data capture stopped');
    this.fail(error);
    clearInterval(this.heartbeatTimer);
    await this.stream.stop();
    await this.publisher.stop();
  }
}
