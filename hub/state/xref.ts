import type { Redis } from 'ioredis';
import { CompactedLog, type BusConfig } from '../bus/index.js';
import type { Logger } from '../log/logger.js';
import { INTERNAL_TOPICS, SYSTEM_NAMES, type SystemName } from '../../catalogue/index.js';
import type { XrefIds, XrefKind, XrefReader } from '../sdk/types.js';
import { stateKey } from './redis.js';
import { stateCall } from './state-errors.js';


/** One durable cross-reference record: the ids it links, of one kind. */
interface XrefRecord {
  readonly kind: XrefKind;
  readonly ids: XrefIds;
}

export interface CrossReferencesOptions {
  readonly redis: Redis;
  readonly bus: BusConfig;
  readonly logger: Logger;
  /** Prefix of Redis keys and of the topic (tests). Default ''. */
  readonly namespace?: string;
  /** How often to check that Redis still holds the data (the marker key). Default 5000 ms. */
  readonly checkIntervalMs?: number;
}

/**
 * Cross-references: the ids of one business object in each system (CRM customer C-17 = ERP
 * account 100045 = SCM consignee K-9).
 *
 * Redis is the fast path: one hash per kind and direction (`switchboard:xref:customer:crm:erp`
 * maps C-17 to 100045). The compacted topic `switchboard.xref` is the source of truth: a put
 * is appended there first (acknowledged by the broker), then written to Redis. Each record's
 * key is the set of ids it links, so compaction keeps every link and nothing needs merging.
 *
 * Every instance tails the topic, so links written by other processes (or by a process that
 * died between the topic and Redis) reach Redis too. A marker key says Redis holds the data;
 * when it is gone (Redis restarted empty, keys flushed), the instance rebuilds Redis from the
 * log it has read.
 *
 * A lookup across the third system (ERP → SCM when only CRM ↔ ERP and CRM ↔ SCM were
 * recorded) goes through the other system's id.
 *
 * Lookups are answered from memory first: the log this instance reads (its own puts as soon as
 * the broker acknowledged them, other processes' as the tail reads them) is indexed the way
 * Redis is, so a mapping's lookup costs no round trip. A lookup memory cannot answer goes to
 * Redis as before: a link another process wrote a moment ago may be in Redis before this
 * process's tail has read it. (A link that another process re-points, e.g. a CRM customer
 * given a new ERP account, is seen here once the tail read it, milliseconds later.)
 */
export class CrossReferences implements XrefReader {
  private readonly redis: Redis;
  private readonly log: CompactedLog;
  private readonly logger: Logger;
  private readonly namespace: string;
  private readonly checkIntervalMs: number;
  private readonly records = new Map<string, XrefRecord>();
  /** The links of `records` by kind, direction and id (see indexKey): what Redis's hashes hold. */
  private readonly index = new Map<string, string>();
  private loaded = false;
  /**
   * Records this instance appended and wrote to Redis itself (`key` NUL `value`), until its tail
   * reads them back: that read need not write Redis again. Cleared past OWN_WRITES_LIMIT (then
   * those read-backs write Redis again, harmlessly).
   */
  private readonly ownWrites = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private rebuilding: Promise<number> | undefined;

  constructor(options: CrossReferencesOptions) {
    this.redis = options.redis;
    this.namespace = options.namespace ?? '';
    this.logger = options.logger.child({ component: 'xref' });
    this.checkIntervalMs = options.checkIntervalMs ?? 5000;
    this.log = new CompactedLog({
      topic: `${this.namespace}${INTERNAL_TOPICS.xref}`,
      bus: options.bus,
      logger: this.logger,
      clientIdSuffix: 'xref',
    });
  }

  /** Reads the log, rebuilds Redis if its marker is missing, then keeps both in step. */
  async start(): Promise<void> {
    await this.log.load((record) => {
      if (record.value === null) {
        const deleted = this.records.get(record.key);
        this.records.delete(record.key);
        if (deleted) this.unindex(deleted);
        return;
      }
      const value = record.value.toString('utf8');
      const parsed = JSON.parse(value) as XrefRecord;
      this.records.set(record.key, parsed);
      this.indexRecord(parsed);
      // Records from other processes (or ones whose Redis write was lost) reach Redis here; this
      // instance's own puts are in Redis already (one pipeline per put fewer: 3 % of a worker's CPU).
      if (this.ownWrites.delete(`${record.key}\u0000${value}`)) return;
      if (this.loaded) void this.writeRedis([parsed]).catch((error: unknown) => this.logger.warn({ err: error }, 'could not copy a cross-reference to redis'));
    });
    this.loaded = true;
    await this.ensureRedis();
    this.timer = setInterval(() => {
      void this.ensureRedis().catch((error: unknown) => this.logger.warn({ err: error }, 'cross-reference check failed'));
    }, this.checkIntervalMs);
    this.timer.unref();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.log.close();
  }

  /** Records that `ids` are one object of `kind`: durable first (topic), then Redis. */
  async put(kind: XrefKind, ids: XrefIds): Promise<void> {
    const record: XrefRecord = { kind, ids: pick(ids) };
    const key = recordKey(record);
    const value = JSON.stringify(record);
    await this.log.append(key, value);
    this.indexRecord(record);
    await stateCall('cross-reference write', () => this.writeRedis([record]));
    if (this.ownWrites.size >= OWN_WRITES_LIMIT) this.ownWrites.clear();
    this.ownWrites.add(`${key}\u0000${value}`);
  }

  /** The id in `to` of the object known as `id` in `from`; undefined when unknown. Rejects with a retriable StateUnavailableError while Redis is away. */
  async get(kind: XrefKind, from: SystemName, id: string, to: SystemName): Promise<string | undefined> {
    if (from === to) return id;
    const known = this.fromMemory(kind, from, id, to);
    if (known !== undefined) return known;
    const lookup = (hash: string, field: string) => stateCall('cross-reference lookup', () => this.redis.hget(hash, field));
    const direct = await lookup(this.hashKey(kind, from, to), id);
    if (direct !== null) return direct;
    const via = SYSTEM_NAMES.find((system) => system !== from && system !== to) as SystemName;
    const middle = await lookup(this.hashKey(kind, from, via), id);
    if (middle === null) return undefined;
    return (await lookup(this.hashKey(kind, via, to), middle)) ?? undefined;
  }

  /** Every id of the object known as `id` in `from` (for the console). */
  async resolve(kind: XrefKind, from: SystemName, id: string): Promise<XrefIds> {
    const ids: Record<string, string> = { [from]: id };
    for (const to of SYSTEM_NAMES) {
      if (to === from) continue;
      const other = await this.get(kind, from, id, to);
      if (other !== undefined) ids[to] = other;
    }
    return ids;
  }

  /** Writes every record read from the log to Redis and sets the marker; returns how many. */
  rebuild(): Promise<number> {
    this.rebuilding ??= (async () => {
      try {
        const all = [...this.records.values()];
        await this.writeRedis(all);
        await this.redis.set(this.markerKey(), String(Date.now()));
        return all.length;
      } finally {
        this.rebuilding = undefined;
      }
    })();
    return this.rebuilding;
  }

  private async ensureRedis(): Promise<void> {
    if ((await this.redis.exists(this.markerKey())) === 1) return;
    const count = await this.rebuild();
    if (count > 0) this.logger.warn({ records: count }, 'redis had no cross-references; rebuilt them from the log');
  }

  private async writeRedis(records: readonly XrefRecord[]): Promise<void> {
    if (records.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const { kind, ids } of records) {
      for (const from of SYSTEM_NAMES) {
        for (const to of SYSTEM_NAMES) {
          const a = ids[from];
          const b = ids[to];
          if (from !== to && a && b) pipeline.hset(this.hashKey(kind, from, to), a, b);
        }
      }
    }
    await pipeline.exec();
  }

  /** The answer of the in-memory index, directly or through the third system; undefined when it has none. */
  private fromMemory(kind: XrefKind, from: SystemName, id: string, to: SystemName): string | undefined {
    const direct = this.index.get(indexKey(kind, from, to, id));
    if (direct !== undefined) return direct;
    const via = SYSTEM_NAMES.find((system) => system !== from && system !== to) as SystemName;
    const middle = this.index.get(indexKey(kind, from, via, id));
    return middle === undefined ? undefined : this.index.get(indexKey(kind, via, to, middle));
  }

  /** Adds a record's links to the index (later records win, as later HSETs do in Redis). */
  private indexRecord({ kind, ids }: XrefRecord): void {
    for (const from of SYSTEM_NAMES) {
      for (const to of SYSTEM_NAMES) {
        const a = ids[from];
        const b = ids[to];
        if (from !== to && a && b) this.index.set(indexKey(kind, from, to, a), b);
      }
    }
  }

  /** Removes a deleted record's links, where the index still holds them. */
  private unindex({ kind, ids }: XrefRecord): void {
    for (const from of SYSTEM_NAMES) {
      for (const to of SYSTEM_NAMES) {
        const a = ids[from];
        const b = ids[to];
        if (from !== to && a && b && this.index.get(indexKey(kind, from, to, a)) === b) this.index.delete(indexKey(kind, from, to, a));
      }
    }
  }

  private hashKey(kind: XrefKind, from: SystemName, to: SystemName): string {
    return stateKey(this.namespace, 'xref', kind, from, to);
  }

  private markerKey(): string {
    return stateKey(this.namespace, 'xref', 'loaded');
  }
}

function indexKey(kind: XrefKind, from: SystemName, to: SystemName, id: string): string {
  return `${kind}\u0000${from}\u0000${to}\u0000${id}`;
}

/** Only the systems' ids, in a fixed order (so equal links get equal log keys). */
function pick(ids: XrefIds): XrefIds {
  const out: Record<string, string> = {};
  for (const system of SYSTEM_NAMES) if (ids[system]) out[system] = ids[system] as string;
  return out;
}

/** Most own puts remembered until read back (see CrossReferences.ownWrites); the tail reads them back within milliseconds. */
const OWN_WRITES_LIMIT = 10_000;

function recordKey(record: XrefRecord): string {
  return `${record.kind}|${SYSTEM_NAMES.filter((s) => record.ids[s]).map((s) => `${s}=${record.ids[s]}`).join('|')}`;
}
