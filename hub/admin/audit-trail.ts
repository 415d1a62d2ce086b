import { randomUUID } from 'node:crypto';
import type { Bus, BusConfig, BusProducer, ConsumedRecord, DesiredTopic, TopicTail } from '../bus/index.js';
import type { Logger } from '../log/logger.js';
import type { Role } from './roles.js';

/** The operator actions the trail records. */
export type AuditAction =
  | 'connector.pause'
  | 'connector.resume'
  | 'connector.restart'
  | 'connector.reset'
  | 'dead-letter.replay'
  | 'dead-letter.discard'
  | 'token.create'
  | 'token.revoke';

/** What an action was done to. */
export interface AuditTarget {
  readonly connector?: string;
  readonly deadLetters?: readonly string[];
  /** An error code whose dead letters were replayed as a group. */
  readonly code?: string;
  /** A token's name (never the token). */
  readonly token?: string;
}

/** One entry of the audit trail. It never holds a token, only the name of the one used. */
export interface AuditEntry {
  readonly id: string;
  readonly at: string;
  /** The name of the token that did it. */
  readonly actor: string;
  readonly role: Role;
  readonly action: AuditAction;
  readonly target: AuditTarget;
  readonly reason: string | null;
  readonly outcome: 'ok' | 'failed';
  /** The error code when it failed. */
  readonly code?: string;
  /** What the action did, e.g. per dead letter whether it was replayed now or before. */
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** An entry as read back, with its place in the topic (the paging cursor). */
export type AuditRecord = AuditEntry & { readonly position: string };

/** A page of the trail, newest first; `next` is the `before` cursor of the next (older) page. */
export interface AuditPage {
  readonly entries: readonly AuditRecord[];
  readonly next: string | null;
}

const DAY_MS = 24 * 3600 * 1000;

/** The audit topic as it is created: one partition (one order of all actions), kept 365 days. */
export function auditTopic(name: string, config: Pick<BusConfig, 'replicationFactor' | 'minInsyncReplicas'>): DesiredTopic {
  return { name, partitions: 1, replicationFactor: config.replicationFactor, configs: { 'retention.ms': String(365 * DAY_MS), 'min.insync.replicas': String(config.minInsyncReplicas) } };
}

export interface AuditTrailOptions {
  readonly bus: Bus;
  readonly producer: BusProducer;
  /** The audit topic (it must exist), `switchboard.audit` behind the prefix. */
  readonly topic: string;
  /** Entries kept in memory for reading; older ones stay on the topic only. */
  readonly limit: number;
  readonly logger: Logger;
}

/**
 * The audit trail of operator actions: appended to the audit topic (`switchboard.audit`, keyed by
 * the target) and followed by a tail that keeps the newest `limit` entries in memory for
 * `GET /api/audit`. `record` resolves once the entry is readable there, so an action's answer
 * and its audit entry are seen together.
 *
 * @example
 * ```ts
 * const trail = new AuditTrail({ bus, producer, topic: 'switchboard.audit', limit: 10_000, logger });
 * await trail.start();
 * await trail.record({ actor: 'alice', role: 'operator', action: 'connector.pause', target: { connector: 'crm-order-to-erp' }, reason: null, outcome: 'ok' });
 * trail.page({ limit: 20 }).entries[0].action; // 'connector.pause'
 * ```
 */
export class AuditTrail {
  private entries: AuditRecord[] = [];
  private head = 0;
  private readonly waiting = new Map<string, () => void>();
  private tail: TopicTail | undefined;

  constructor(private readonly options: AuditTrailOptions) {}

  /** Reads the trail to its end, then follows it. */
  async start(): Promise<void> {
    this.tail = this.options.bus.tail({ topics: [this.options.topic], label: 'admin.audit', logger: this.options.logger, onRecord: (record) => this.add(record) });
    await this.tail.start();
  }

  async stop(): Promise<void> {
    await this.tail?.stop();
  }

  /** Appends an entry and waits (up to 10 s) until it is readable through `page`. */
  async record(entry: Omit<AuditEntry, 'id' | 'at'>): Promise<AuditEntry> {
    const full: AuditEntry = { id: randomUUID(), at: new Date().toISOString(), ...entry };
    const seen = new Promise<void>((resolve) => this.waiting.set(full.id, resolve));
    let timer: NodeJS.Timeout | undefined;
    try {
      await this.options.producer.send({ topic: this.options.topic, key: auditKey(full.target), value: Buffer.from(JSON.stringify(full)), headers: { 'content-type': 'application/json' } });
      await Promise.race([seen, new Promise<void>((resolve) => { timer = setTimeout(resolve, 10_000); })]);
    } finally {
      clearTimeout(timer);
      this.waiting.delete(full.id);
    }
    return full;
  }

  /** Newest first: at most `limit` entries older than the `before` cursor (or the newest). */
  page(options: { limit: number; before?: string }): AuditPage {
    const before = options.before === undefined ? undefined : BigInt(options.before);
    const out: AuditRecord[] = [];
    // Entries are in topic order (one partition), oldest first.
    let i = this.entries.length - 1;
    while (i >= this.head && before !== undefined && BigInt(this.entries[i].position) >= before) i--;
    for (; i >= this.head && out.length < options.limit; i--) out.push(this.entries[i]);
    return { entries: out, next: i >= this.head && out.length > 0 ? (out.at(-1) as AuditRecord).position : null };
  }

  private add(record: ConsumedRecord): void {
    if (record.value === null) return;
    const entry = JSON.parse(record.value.toString('utf8')) as AuditEntry;
    this.entries.push({ ...entry, position: record.offset });
    if (this.entries.length - this.head > this.options.limit) this.head++;
    if (this.head > 4096 && this.head > this.entries.length / 2) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    this.waiting.get(entry.id)?.();
  }
}

/** Entries about one connector (or token) share a key, so they keep their order on any partitioning. */
function auditKey(target: AuditTarget): string {
  if (target.connector) return `connector:${target.connector}`;
  if (target.token) return `token:${target.token}`;
  return 'admin';
}
