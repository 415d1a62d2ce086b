import { DOMAIN_TOPICS, INTERNAL_TOPICS, allEventTypes, isEventFullName, topicName, type TopicSpec } from '../../catalogue/index.js';
import { fromEventHeaders, parseTraceparent, type Bus, type BusConsumer, type ConsumedRecord, type EventMetadata } from '../bus/index.js';
import { isRetriable, isSwitchboardError } from '../errors/index.js';
import type { Logger } from '../log/logger.js';
import type { AvroCodec } from '../schema/codec/avro-codec.js';
import type { Redis } from '../state/redis.js';
import { deadLetterOutcomeOf, retryOutcomeOf, type OutcomeFact } from './connector-outcomes.js';
import { CompletedKeyLookup } from './completed-key-lookup.js';
import { DeliverySettler } from './delivery-settler.js';
import { SUBJECT_LABELS, eventFacts, type Alias, type EventFacts, type SubjectKind } from './event-facts.js';
import { GroupCommit } from './group-commit.js';
import { LiveRates } from './live-rates.js';
import type { OperatorAction, TrackingStore } from './tracking-store.js';

/** What the projection needs to know of a connector: where it reads, what it handles, where its failures go. */
export interface TrackedConnector {
  readonly name: string;
  /** Source topics as named on the broker (with the prefix). */
  readonly sources: readonly string[];
  /** Event full names it handles. */
  readonly eventTypes: readonly string[];
  readonly retryTopic: string;
  readonly deadLetterTopic: string;
}

export interface TrackingProjectionOptions {
  readonly bus: Bus;
  readonly redis: Redis;
  readonly codec: AvroCodec;
  readonly store: TrackingStore;
  readonly connectors: readonly TrackedConnector[];
  readonly prefix: string;
  readonly retentionMs: number;
  readonly logger: Logger;
}

type TopicRole =
  | { readonly kind: 'domain'; readonly spec: TopicSpec; readonly name: string }
  | { readonly kind: 'retry' | 'dead-letter'; readonly connector: string }
  | { readonly kind: 'audit' | 'xref' };

/** The subject kind of a topic's key field. */
const KEY_KINDS: Readonly<Record<string, SubjectKind>> = { orderId: 'order', crmOrderId: 'order', customerId: 'customer', crmCustomerId: 'customer', sku: 'sku', purchaseOrderNumber: 'purchase-order' };

/** How the ids of a cross-reference kind stand for a subject: the system whose id is the subject, and what each system's id is called. */
const XREF_SUBJECTS: Readonly<Record<string, { kind: SubjectKind; by: readonly ('crm' | 'erp' | 'scm')[]; labels: Readonly<Record<string, string>> }>> = {
  order: { kind: 'order', by: ['crm'], labels: { erp: 'ERP sales order', scm: 'SCM shipment' } },
  customer: { kind: 'customer', by: ['crm'], labels: { erp: 'ERP account', scm: 'SCM consignee' } },
  product: { kind: 'sku', by: ['erp', 'crm', 'scm'], labels: { crm: 'CRM product', erp: 'ERP product', scm: 'SCM item' } },
  shipment: { kind: 'shipment', by: ['scm'], labels: { crm: 'CRM shipment reference', erp: 'ERP shipment reference' } },
  'purchase-order': { kind: 'purchase-order', by: ['erp'], labels: { scm: 'SCM expected receipt' } },
};

/** Sweeps older rows out this often. */
const PRUNE_INTERVAL_MS = 10 * 60_000;

/**
 * The console's tracking projection: one consumer group (`switchboard.tracking.<generation>`)
 * on every catalogue topic, every connector's retry and dead-letter topic, the cross-references
 * and the audit trail, writing per business object a timeline of events and connector outcomes
 * into SQLite (TrackingStore). Offsets are committed only after a record's rows are written
 * (GroupCommit), upserts keyed by `ce_id` make a redelivery harmless, and a second console on
 * the same database joins the same group and takes over the partitions of one that stops.
 * Applied outcomes come from the workers' completed keys: read as an event is taken in
 * (CompletedKeyLookup, one MGET per turn), and for deliveries still open afterwards by the
 * DeliverySettler.
 *
 * @example
 * ```ts
 * const projection = new TrackingProjection({ bus, redis, codec, store, connectors, prefix: '', retentionMs: 7 * 86_400_000, logger });
 * await projection.start();
 * projection.rates.perSecond('topic:crm.order.v1');
 * await projection.stop();
 * ```
 */
export class TrackingProjection {
  /** Live counts by time: `topic:<topic>`, `applied:<connector>`, `parked:<connector>`, `dead-lettered:<connector>`. */
  readonly rates = new LiveRates(10);
  private readonly roles = new Map<string, TopicRole>();
  /** The connectors that handle each `<topic>\n<ce_type>`. */
  private readonly handlers = new Map<string, string[]>();
  private readonly commits: GroupCommit;
  private readonly settler: DeliverySettler;
  private readonly completed: CompletedKeyLookup;
  private consumer: BusConsumer | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;
  private taken = 0;

  constructor(private readonly options: TrackingProjectionOptions) {
    const { prefix, connectors } = options;
    for (const spec of DOMAIN_TOPICS) this.roles.set(topicName(spec, prefix), { kind: 'domain', spec, name: topicName(spec) });
    for (const connector of connectors) {
      this.roles.set(connector.retryTopic, { kind: 'retry', connector: connector.name });
      this.roles.set(connector.deadLetterTopic, { kind: 'dead-letter', connector: connector.name });
    }
    this.roles.set(`${prefix}${INTERNAL_TOPICS.audit}`, { kind: 'audit' });
    this.roles.set(`${prefix}${INTERNAL_TOPICS.xref}`, { kind: 'xref' });
    const ceTypes = new Map(allEventTypes().map((entry) => [entry.fullName, entry.ceType]));
    for (const connector of connectors) {
      for (const topic of connector.sources) {
        for (const fullName of connector.eventTypes) {
          const key = `${topic}\n${ceTypes.get(fullName) ?? fullName}`;
          this.handlers.set(key, [...(this.handlers.get(key) ?? []), connector.name]);
        }
      }
    }
    this.commits = new GroupCommit((work) => options.store.transaction(work));
    this.completed = new CompletedKeyLookup(options.redis, prefix, options.logger);
    this.settler = new DeliverySettler({
      store: options.store, redis: options.redis, prefix, logger: options.logger,
      onApplied: (outcome) => this.rates.add(`applied:${outcome.connector}`, outcome.at),
    });
  }

  /** The consumer group; one per database generation. */
  get groupId(): string {
    return `${this.options.prefix}switchboard.tracking.${this.options.store.generation}`;
  }

  /** The topics it reads (they must exist). */
  get topics(): string[] {
    return [...this.roles.keys()];
  }

  /** Records taken in since start (for the benchmarks). */
  get recordsTaken(): number {
    return this.taken;
  }

  /** Joins the group and starts reading (from the committed offsets, or from the beginning for a new database), settling and pruning. */
  async start(): Promise<void> {
    this.consumer = this.options.bus.consumer({
      groupId: this.groupId,
      topics: this.topics,
      fromBeginning: true,
      // Rows are upserts keyed by ids, so records of different keys may be written in any order; a wide
      // window lets one transaction take a whole fetch. Four partitions at once (not eight) keep fewer
      // fetched batches alive in the heap; SQLite, one writer, is the limit either way.
      concurrency: 256,
      partitionsConcurrently: 4,
      fetchBytes: { perPartition: 128 * 1024, total: 512 * 1024 },
      logger: this.options.logger,
      handle: (record) => this.take(record),
    });
    await this.consumer.start();
    this.settler.start();
    this.pruneTimer = setInterval(() => this.prune(), PRUNE_INTERVAL_MS);
    this.pruneTimer.unref();
  }

  async stop(): Promise<void> {
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    await this.consumer?.stop();
    this.consumer = undefined;
    await this.settler.stop();
    this.commits.flush();
  }

  /** Removes what is older than the retention; logs how much went. */
  prune(now: number = Date.now()): number {
    try {
      let removed = 0;
      for (let round = this.options.store.prune(now - this.options.retentionMs); round > 0; round = this.options.store.prune(now - this.options.retentionMs)) removed += round;
      if (removed > 0) this.options.logger.info({ removed }, 'tracking: pruned rows past the retention');
      return removed;
    } catch (error) {
      this.options.logger.warn({ err: error }, 'tracking: could not prune old rows; trying again later');
      return 0;
    }
  }

  /** Settles due deliveries at once (tests and benchmarks). */
  settleNow(): Promise<number> {
    return this.settler.settle();
  }

  private async take(record: ConsumedRecord): Promise<void> {
    this.taken++;
    const role = this.roles.get(record.topic);
    if (!role) return;
    switch (role.kind) {
      case 'domain':
        return this.takeEvent(record, role.spec, role.name);
      case 'retry':
      case 'dead-letter': {
        const outcome = role.kind === 'retry' ? retryOutcomeOf(record, role.connector) : deadLetterOutcomeOf(record, role.connector);
        if (!outcome) return;
        this.rates.add(`${outcome.kind}:${outcome.connector}`, outcome.at);
        return this.commits.run(() => this.options.store.addOutcome(outcome));
      }
      case 'audit': {
        const actions = operatorActionsOf(record, this.options.logger);
        if (actions.length > 0) await this.commits.run(() => actions.forEach((action) => this.options.store.addOperatorAction(action)));
        return;
      }
      case 'xref': {
        const aliases = xrefAliasesOf(record);
        if (aliases.length > 0) await this.commits.run(() => this.options.store.addAliases(aliases, record.timestamp));
        return;
      }
    }
  }

  private async takeEvent(record: ConsumedRecord, spec: TopicSpec, topic: string): Promise<void> {
    let metadata: EventMetadata;
    try {
      metadata = fromEventHeaders(record.headers);
    } catch {
      return; // Not an event (the connectors dead-letter it without a ce_id, so no timeline can hold it).
    }
    const at = Date.parse(metadata.time) || record.timestamp;
    if (at < Date.now() - this.options.retentionMs) return;
    this.rates.add(`topic:${topic}`, record.timestamp);
    const key = record.key?.toString('utf8') ?? '';
    const { facts, eventType } = await this.factsOf(record, metadata, spec, key, at);
    const connectors = this.handlers.get(`${record.topic}\n${metadata.type}`) ?? [];
    const appliedAt = await this.completed.appliedAt(metadata.id, connectors);
    await this.commits.run(() => this.options.store.addEvent({
      ceId: metadata.id, at, system: metadata.source, eventType, topic, partition: record.partition, offset: record.offset,
      correlationId: metadata.correlationId, causationId: metadata.causationId ?? null, traceId: parseTraceparent(metadata.traceparent)?.traceId ?? null,
      facts, connectors, appliedAt,
    }));
    appliedAt.forEach((appliedTime, i) => {
      if (appliedTime !== null) this.rates.add(`applied:${connectors[i]}`, appliedTime);
    });
  }

  /** The event's facts; an event that cannot be decoded still joins its key's timeline (the connectors will dead-letter it). */
  private async factsOf(record: ConsumedRecord, metadata: EventMetadata, spec: TopicSpec, key: string, at: number): Promise<{ facts: EventFacts; eventType: string }> {
    try {
      if (record.value === null) throw new Error('the record has no value');
      const decoded = await this.options.codec.decode(record.value);
      if (decoded.fullName === undefined || !isEventFullName(decoded.fullName)) throw new Error(`schema ${decoded.fullName ?? decoded.schemaId} is not an event of the catalogue`);
      return { facts: eventFacts(decoded.fullName, decoded.value as never, at), eventType: decoded.fullName };
    } catch (error) {
      // A registry that does not answer is not the event's fault: leave the record to be read again.
      if (isRetriable(error)) throw error;
      const kind = KEY_KINDS[spec.keyField] ?? 'order';
      const why = isSwitchboardError(error) ? error.code : 'not an event of the catalogue';
      return {
        facts: { subject: { kind, id: key }, mentions: key ? [key] : [], aliases: key ? [{ alias: key, kind, subject: key, label: SUBJECT_LABELS[kind] }] : [], summary: `${metadata.type}: could not be decoded (${why})` },
        eventType: metadata.type,
      };
    }
  }
}

/** Replays and discards of dead letters an audit entry records (those that took effect). */
export function operatorActionsOf(record: ConsumedRecord, logger?: Logger): OperatorAction[] {
  if (record.value === null) return [];
  let entry: { action?: string; outcome?: string; actor?: string; reason?: string | null; at?: string; target?: { connector?: string; deadLetters?: string[] }; detail?: { outcome?: string; results?: { id: string; outcome: string }[] } };
  try {
    entry = JSON.parse(record.value.toString('utf8')) as typeof entry;
  } catch (error) {
    logger?.warn({ err: error, offset: record.offset }, 'tracking: an audit record is not JSON; skipped');
    return [];
  }
  const connector = entry.target?.connector;
  if (entry.outcome !== 'ok' || !connector || !entry.actor) return [];
  const at = Date.parse(entry.at ?? '') || record.timestamp;
  const base = { connector, actor: entry.actor, reason: entry.reason ?? null, at };
  if (entry.action === 'dead-letter.replay') {
    const ids = entry.detail?.results ? entry.detail.results.filter((r) => r.outcome === 'replayed').map((r) => r.id) : entry.target?.deadLetters ?? [];
    return ids.map((deadLetterId) => ({ ...base, deadLetterId, action: 'replay' as const }));
  }
  if (entry.action === 'dead-letter.discard' && entry.detail?.outcome === 'discarded') {
    return (entry.target?.deadLetters ?? []).map((deadLetterId) => ({ ...base, deadLetterId, action: 'discard' as const }));
  }
  return [];
}

/** The aliases a cross-reference record gives: each system's id stands for the subject (the CRM order id of an order, ...). */
export function xrefAliasesOf(record: ConsumedRecord): Alias[] {
  if (record.value === null) return [];
  let parsed: { kind?: string; ids?: Partial<Record<'crm' | 'erp' | 'scm', string>> };
  try {
    parsed = JSON.parse(record.value.toString('utf8')) as typeof parsed;
  } catch {
    return [];
  }
  const rule = parsed.kind ? XREF_SUBJECTS[parsed.kind] : undefined;
  const ids = parsed.ids ?? {};
  if (!rule) return [];
  const subjectSystem = rule.by.find((system) => ids[system]);
  if (!subjectSystem) return [];
  const subject = ids[subjectSystem] as string;
  const aliases: Alias[] = [{ alias: subject, kind: rule.kind, subject, label: SUBJECT_LABELS[rule.kind] }];
  for (const [system, id] of Object.entries(ids)) {
    if (id && system !== subjectSystem) aliases.push({ alias: id, kind: rule.kind, subject, label: rule.labels[system] ?? `${system.toUpperCase()} id` });
  }
  return aliases;
}

export type { OutcomeFact };
