import type { BusProducer, OutgoingRecord } from '../../bus/index.js';
import { ERRORS, SwitchboardError, isRetriable, isSwitchboardError } from '../../errors/index.js';
import type { Logger } from '../../log/logger.js';
import { Backoff, sleep } from '../../retry/index.js';
import type { AvroCodec } from '../../schema/codec/avro-codec.js';
import type { ChangeQueue } from './change-queue.js';
import type { ChangeRecord } from './change-record.js';

/** The registry refused a table's derived schema (an incompatible column change): capture stops before it. */
export class CdcSchemaRefusedError extends SwitchboardError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(ERRORS.CDC_SCHEMA_REFUSED.code, message, options);
  }
}

/** Settings of a {@link ChangePublisher}. */
export interface ChangePublisherOptions {
  readonly queue: ChangeQueue;
  readonly producer: Pick<BusProducer, 'sendAll'>;
  readonly codec: Pick<AvroCodec, 'defineSubject' | 'prepare' | 'encodeSync'>;
  readonly logger: Logger;
  /** Changes per produce request. Default 500. */
  readonly batchSize?: number;
  /** Called with the failure that stops publishing for good (a refused schema, a value its schema refuses). */
  readonly onFatal: (error: unknown) => void;
}

/**
 * Publishes the change queue to Kafka, one request at a time (the idempotent producer with
 * acks=all, one request in flight, so each key's changes land in commit order), and reaches
 * the queue's marks (confirming commit LSNs to PostgreSQL) only after the broker acknowledged
 * everything before them. The first change of a table, and the first after its columns
 * changed, registers the table's derived schema: the registry checks it BACKWARD_TRANSITIVE
 * against the earlier ones. Kafka or the registry being away is waited out with backoff; a
 * refused schema stops capture (`onFatal`) with nothing after it confirmed.
 *
 * @example
 * ```ts
 * const publisher = new ChangePublisher({ queue, producer, codec, logger, onFatal: (error) => source.fail(error) });
 * publisher.start();
 * await publisher.stop();
 * ```
 */
export class ChangePublisher {
  private readonly batchSize: number;
  /** The schema each subject is encoded with now: a table's schema object changes only when its columns do. */
  private readonly defined = new Map<string, Readonly<Record<string, unknown>>>();
  private readonly backoff = new Backoff({ initialMs: 100, maxMs: 5000 });
  private abort = new AbortController();
  private running: Promise<void> | undefined;
  /** Changes acknowledged by Kafka since start. */
  published = 0;

  constructor(private readonly options: ChangePublisherOptions) {
    this.batchSize = options.batchSize ?? 500;
  }

  start(): void {
    if (this.running) return;
    this.abort = new AbortController();
    this.running = this.loop().catch((error: unknown) => this.options.onFatal(error));
  }

  /** Stops after the request in flight; what it took from the queue without publishing is sent again by PostgreSQL after a restart. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
    this.running = undefined;
  }

  private async loop(): Promise<void> {
    const { queue } = this.options;
    const signal = this.abort.signal;
    while (!signal.aborted) {
      await queue.whenNotEmpty(signal);
      if (signal.aborted) return;
      const batch = queue.take(this.batchSize);
      const encoded = await this.retrying(() => this.encode(batch.records), 'could not register a table schema');
      if (!encoded) return;
      const records = encoded.result;
      if (records.length > 0) {
        if (!(await this.retrying(() => this.options.producer.sendAll(records), 'could not publish changes'))) return;
        this.published += records.length;
      }
      for (const reached of batch.marks) await reached();
    }
  }

  /** Runs `work` until it succeeds, waiting out retriable failures; undefined when stopped first. Non-retriable failures are thrown. */
  private async retrying<T>(work: () => Promise<T>, message: string): Promise<{ result: T } | undefined> {
    const signal = this.abort.signal;
    for (;;) {
      try {
        const result = await work();
        if (this.backoff.attempts > 0) this.options.logger.info({ attempts: this.backoff.attempts }, 'change publishing resumed');
        this.backoff.reset();
        return { result };
      } catch (error) {
        if (!isRetriable(error)) throw error;
        const attempt = this.backoff.attempts;
        const level = attempt === 0 || attempt % 20 === 0 ? 'warn' : 'debug';
        this.options.logger[level]({ err: error, code: isSwitchboardError(error) ? error.code : undefined, attempt: attempt + 1 }, `${message}; retrying`);
        await sleep(this.backoff.next(), signal);
        if (signal.aborted) return undefined;
      }
    }
  }

  private async encode(changes: readonly ChangeRecord[]): Promise<OutgoingRecord[]> {
    const { codec } = this.options;
    const records: OutgoingRecord[] = [];
    for (const change of changes) {
      const { subject, schema, topic } = change.table;
      if (this.defined.get(subject) !== schema) {
        codec.defineSubject(subject, JSON.stringify(schema));
        try {
          await codec.prepare(subject);
        } catch (error) {
          this.defined.delete(subject);
          if (isRetriable(error)) throw error;
          throw new CdcSchemaRefusedError(`the schema derived from ${change.table.spec.schema}.${change.table.spec.table} was refused for ${subject}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
        }
        this.defined.set(subject, schema);
      }
      const value = codec.encodeSync(subject, change.value) as Buffer;
      records.push({ topic, key: change.key, value, headers: change.headers });
    }
    return records;
  }
}
