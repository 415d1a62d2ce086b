import { LogicalReplicationService, PgoutputPlugin, type Pgoutput } from 'pg-logical-replication';
import { isSwitchboardError } from '../../errors/index.js';
import type { Logger } from '../../log/logger.js';
import type { CapturedTable } from './captured-table.js';
import type { ChangeQueue } from './change-queue.js';
import { changeRecord, type RowChange, type RowText } from './change-record.js';
import { formatLsn, parseLsn } from './lsn.js';
import { CdcSlotBusyError, CdcSourceUnavailableError, connectionConfig } from './postgres-source.js';

/**
 * pgoutput with every value kept as PostgreSQL's text (pg's own type parsers would turn a
 * timestamp into a Date in the process's time zone): the CDC process converts text itself, the
 * same way for the snapshot and the stream.
 */
class TextPgoutputPlugin extends PgoutputPlugin {
  override parse(buffer: Buffer): Pgoutput.Message {
    const message = super.parse(buffer) as Pgoutput.Message;
    // Relation messages come before the changes that use them, and are parsed before them.
    if (message.tag === 'relation') for (const column of message.columns) column.parser = (raw: unknown) => raw;
    return message;
  }
}

/** Settings of a {@link ReplicationStream}. */
export interface ReplicationStreamOptions {
  readonly databaseUrl: string;
  readonly slot: string;
  readonly publication: string;
  readonly queue: ChangeQueue;
  /** The captured table a Relation message describes now (its columns may have changed), or undefined when the table is not captured. */
  readonly tableOf: (relation: Pgoutput.MessageRelation) => Promise<CapturedTable | undefined>;
  /** The stream failed (connection lost, slot busy, a change that cannot be read): nothing after the failure is queued. */
  readonly onFailure: (error: unknown) => void;
  readonly logger: Logger;
}

/**
 * The slot's changes, streamed with pgoutput through pg-logical-replication and queued in
 * commit order: each row change as a record, each commit as a mark that confirms the commit's
 * end LSN to PostgreSQL once the publisher has it in Kafka. PostgreSQL is never told more:
 * automatic acknowledgement is off, and keepalives are answered with the last confirmed LSN.
 * The library's flow control awaits each message, so a full queue pauses the stream.
 *
 * @example
 * ```ts
 * const stream = new ReplicationStream({ databaseUrl, slot, publication, queue, tableOf, onFailure, logger });
 * await stream.start(slotInfo.confirmedFlushLsn);
 * // ... the publisher reaches a commit mark: stream.confirm(lsn) has been called
 * await stream.stop();
 * ```
 */
export class ReplicationStream {
  private service: LogicalReplicationService | undefined;
  private readonly tables = new Map<number, CapturedTable | undefined>();
  private transaction: { xid: number; committedAt: number } | undefined;
  private failed = false;
  /** While start() waits: failures are thrown from it instead of reported. */
  private starting = false;
  private startFailure: unknown;
  /** The last LSN confirmed to PostgreSQL (what keepalives are answered with). */
  confirmed: string | undefined;
  /** When the last commit was confirmed (epoch ms). */
  confirmedAt = 0;

  constructor(private readonly options: ReplicationStreamOptions) {}

  /** Starts streaming from the slot's confirmed position (`startLsn`, as pg_replication_slots shows it). */
  async start(startLsn: string | null): Promise<void> {
    this.failed = false;
    this.starting = true;
    this.startFailure = undefined;
    this.confirmed = startLsn ?? undefined;
    this.tables.clear();
    this.transaction = undefined;
    const service = new LogicalReplicationService(connectionConfig(this.options.databaseUrl, true), {
      acknowledge: { auto: false, timeoutSeconds: 0 },
      flowControl: { enabled: true },
    });
    this.service = service;
    service.on('data', (lsn: string, message: Pgoutput.Message) => this.handle(lsn, message));
    service.on('heartbeat', (_lsn: string, _time: number, shouldRespond: boolean) => {
      if (shouldRespond && this.confirmed) void this.acknowledge(this.confirmed);
    });
    service.on('error', (error: Error) => this.fail(error));
    const plugin = new TextPgoutputPlugin({ protoVersion: 1, publicationNames: [this.options.publication], messages: true });
    const started = new Promise<void>((resolve) => service.once('start', () => resolve()));
    const ended = service.subscribe(plugin, this.options.slot).then(
      () => this.fail(new CdcSourceUnavailableError('the replication stream ended')),
      (error: unknown) => this.fail(error),
    );
    await Promise.race([started, ended]);
    this.starting = false;
    if (this.failed) {
      await this.stop();
      throw this.startFailure ?? new CdcSourceUnavailableError(`replication from slot ${this.options.slot} did not start`);
    }
  }

  /** Tells PostgreSQL that everything up to `lsn` is in Kafka (a commit's end LSN). */
  async confirm(lsn: string): Promise<void> {
    this.confirmed = lsn;
    this.confirmedAt = Date.now();
    await this.acknowledge(lsn);
  }

  async stop(): Promise<void> {
    this.failed = true;
    const service = this.service;
    this.service = undefined;
    await service?.destroy();
  }

  private async acknowledge(lsn: string): Promise<void> {
    // The library reports lsn + 1 as written, flushed and applied; hand it the byte before, so PostgreSQL hears exactly `lsn`.
    const position = parseLsn(lsn);
    if (position > 0n) await this.service?.acknowledge(formatLsn(position - 1n));
  }

  private fail(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    const text = error instanceof Error ? error.message : String(error);
    const failure = /replication slot .* is active/i.test(text)
      ? new CdcSlotBusyError(`replication slot ${this.options.slot} is streamed by another process: ${text}`, { cause: error })
      : isSwitchboardError(error)
        ? error
        : new CdcSourceUnavailableError(`replication from slot ${this.options.slot} stopped: ${text}`, { cause: error });
    if (this.starting) this.startFailure = failure;
    else this.options.onFailure(failure);
  }

  private async handle(lsn: string, message: Pgoutput.Message): Promise<void> {
    // After a failure nothing more is queued: a later commit mark would confirm past the change that failed.
    if (this.failed) return;
    try {
      await this.apply(lsn, message);
    } catch (error) {
      this.fail(error);
    }
  }

  private async apply(lsn: string, message: Pgoutput.Message): Promise<void> {
    const { queue } = this.options;
    switch (message.tag) {
      case 'begin':
        this.transaction = { xid: message.xid, committedAt: Number((message.commitTime as bigint) / 1000n) };
        return;
      case 'relation':
        this.tables.set(message.relationOid, await this.options.tableOf(message));
        return;
      case 'insert':
      case 'update':
      case 'delete': {
        const table = this.tables.get(message.relation.relationOid);
        if (!table) return;
        const change: RowChange = {
          op: message.tag,
          before: message.tag === 'insert' ? null : ((message.old ?? message.key) as RowText | null),
          after: message.tag === 'delete' ? null : (message.new as RowText),
          lsn: formatLsn(parseLsn(lsn)),
          committedAt: this.transaction?.committedAt ?? Date.now(),
          txId: this.transaction?.xid ?? null,
        };
        await queue.room();
        if (this.failed) return;
        queue.push({ kind: 'change', record: changeRecord(table, change) });
        return;
      }
      case 'truncate':
        this.options.logger.warn({ tables: message.relations.map((relation) => `${relation.schema}.${relation.name}`) }, 'TRUNCATE is not captured: consumers keep the rows they have');
        return;
      case 'commit': {
        const end = formatLsn(parseLsn(message.commitEndLsn ?? lsn));
        this.transaction = undefined;
        queue.push({ kind: 'mark', reached: () => this.confirm(end) });
        return;
      }
      default:
        return;
    }
  }
}
