import type { Database } from 'better-sqlite3';

/** p50 and p90 of a set of durations (nearest rank), and how many there were. */
export interface DurationStats {
  readonly count: number;
  readonly p50Ms: number | null;
  readonly p90Ms: number | null;
}

/** The business dashboard, computed from the tracking projection only (never from the services' databases). */
export interface Dashboard {
  readonly generatedAt: string;
  /** The window the figures cover: orders placed (or paid, for the cycle time) since `since`. */
  readonly since: string;
  readonly days: number;
  /** Order to cash: placed → invoice settled, over the orders paid in the window. */
  readonly cycleTime: DurationStats;
  /** Each stage of order to cash, over the orders that passed it. */
  readonly stages: readonly (DurationStats & { readonly stage: string; readonly from: string; readonly to: string })[];
  /** Per day (UTC): orders placed, confirmed, rejected, and confirmed and invoiced revenue per currency, in cents. */
  readonly perDay: readonly { readonly day: string; readonly placed: number; readonly confirmed: number; readonly rejected: number; readonly revenue: Readonly<Record<string, number>>; readonly invoiced: Readonly<Record<string, number>> }[];
  readonly credit: {
    /** Customers whose account is on HOLD or BLOCKED now. */
    readonly holds: readonly { readonly customerId: string; readonly accountNumber: string; readonly status: string; readonly reason: string | null; readonly since: string }[];
    /** Rejections in the window by reason code. */
    readonly rejections: readonly { readonly reason: string; readonly count: number }[];
  };
  /** Orders short of stock and not dispatched yet. */
  readonly backorders: { readonly count: number; readonly orders: readonly { readonly orderId: string; readonly since: string }[] };
  /** Stock positions at or below their reorder point. */
  readonly belowReorderPoint: readonly { readonly sku: string; readonly warehouse: string; readonly available: number; readonly reorderPoint: number; readonly reorderQuantity: number | null }[];
  /** Orders with a delivery waiting longer than `stuckAfterMinutes`. */
  readonly stuck: { readonly afterMinutes: number; readonly count: number; readonly orders: readonly { readonly orderId: string; readonly since: string; readonly connector: string; readonly state: string }[] };
}

const DAY_MS = 24 * 3600 * 1000;

/** The stages of order to cash and the milestone columns that bound them. */
const STAGES = [
  { stage: 'credit check', from: 'placed_at', to: 'confirmed_at' },
  { stage: 'fulfilment', from: 'confirmed_at', to: 'shipment_created_at' },
  { stage: 'warehouse', from: 'shipment_created_at', to: 'dispatched_at' },
  { stage: 'invoicing', from: 'dispatched_at', to: 'invoiced_at' },
  { stage: 'payment', from: 'invoiced_at', to: 'paid_at' },
] as const;

/**
 * Nearest-rank percentile of sorted values: the smallest value with at least `p` of them at or below it.
 *
 * @example
 * ```ts
 * nearestRank([10, 20, 30, 40], 0.5); // 20
 * nearestRank([10, 20, 30, 40], 0.9); // 40
 * ```
 */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

/**
 * Decision support on top of the integrated systems, from the projection's `orders`, `stock`,
 * `credit` and `deliveries` tables: order-to-cash cycle time (p50, p90, nearest rank) and each
 * stage's, orders and revenue per day, credit holds and rejections, backorders, items below
 * their reorder point, and orders stuck longer than N minutes.
 *
 * @example
 * ```ts
 * const dashboard = new DashboardQuery(store.db).compute({ days: 14, stuckAfterMs: 10 * 60_000 });
 * dashboard.cycleTime.p50Ms;
 * ```
 */
export class DashboardQuery {
  constructor(private readonly db: Database) {}

  compute(options: { days: number; stuckAfterMs: number }, now: number = Date.now()): Dashboard {
    const since = now - options.days * DAY_MS;
    const durations = (from: string, to: string, window: string) => (this.db.prepare(
      `SELECT ${to} - ${from} AS d FROM orders WHERE ${from} IS NOT NULL AND ${to} IS NOT NULL AND ${window} >= ? ORDER BY d`,
    ).pluck().all(since) as number[]).map((d) => Math.max(0, d));
    const stats = (values: number[]): DurationStats => ({ count: values.length, p50Ms: nearestRank(values, 0.5), p90Ms: nearestRank(values, 0.9) });

    const perDay = new Map<string, { day: string; placed: number; confirmed: number; rejected: number; revenue: Record<string, number>; invoiced: Record<string, number> }>();
    const dayOf = (day: string) => {
      const known = perDay.get(day) ?? { day, placed: 0, confirmed: 0, rejected: 0, revenue: {}, invoiced: {} };
      perDay.set(day, known);
      return known;
    };
    const byDay = (column: string, extra = '') => this.db.prepare(
      `SELECT date(${column} / 1000, 'unixepoch') AS day, count(*) AS n ${extra} FROM orders WHERE ${column} >= ? GROUP BY day${extra ? ', currency' : ''}`,
    ).all(since) as { day: string; n: number; cents?: number; currency?: string | null }[];
    for (const row of byDay('placed_at')) dayOf(row.day).placed = row.n;
    for (const row of byDay('rejected_at')) dayOf(row.day).rejected = row.n;
    for (const row of byDay('confirmed_at', ', sum(total_cents) AS cents, currency')) {
      const day = dayOf(row.day);
      day.confirmed += row.n;
      if (row.currency) day.revenue[row.currency] = (day.revenue[row.currency] ?? 0) + (row.cents ?? 0);
    }
    for (const row of byDay('invoiced_at', ', sum(invoiced_cents) AS cents, currency')) {
      if (row.currency) dayOf(row.day).invoiced[row.currency] = (dayOf(row.day).invoiced[row.currency] ?? 0) + (row.cents ?? 0);
    }

    const stuckBefore = now - options.stuckAfterMs;
    const stuck = this.db.prepare(`SELECT subject_id AS orderId, min(since) AS since, connector, state FROM deliveries
      WHERE subject_kind = 'order' AND state IN ('pending', 'parked', 'dead-lettered', 'replayed') AND since < ?
      GROUP BY subject_id ORDER BY since LIMIT 100`).all(stuckBefore) as { orderId: string; since: number; connector: string; state: string }[];
    const stuckCount = this.db.prepare(`SELECT count(DISTINCT subject_id) FROM deliveries
      WHERE subject_kind = 'order' AND state IN ('pending', 'parked', 'dead-lettered', 'replayed') AND since < ?`).pluck().get(stuckBefore) as number;
    const backorderWhere = 'backordered_at IS NOT NULL AND dispatched_at IS NULL AND cancelled_at IS NULL AND rejected_at IS NULL';

    return {
      generatedAt: new Date(now).toISOString(),
      since: new Date(since).toISOString(),
      days: options.days,
      cycleTime: stats(durations('placed_at', 'paid_at', 'paid_at')),
      stages: STAGES.map((s) => ({ stage: s.stage, from: s.from.replace(/_at$/, ''), to: s.to.replace(/_at$/, ''), ...stats(durations(s.from, s.to, s.to)) })),
      perDay: [...perDay.values()].sort((a, b) => a.day.localeCompare(b.day)),
      credit: {
        holds: (this.db.prepare(`SELECT customer_id, account_number, status, reason, at FROM credit WHERE status IN ('HOLD', 'BLOCKED') ORDER BY at DESC LIMIT 100`).all() as
          { customer_id: string; account_number: string; status: string; reason: string | null; at: number }[])
          .map((row) => ({ customerId: row.customer_id, accountNumber: row.account_number, status: row.status, reason: row.reason, since: new Date(row.at).toISOString() })),
        rejections: this.db.prepare(`SELECT reject_reason AS reason, count(*) AS count FROM orders WHERE rejected_at >= ? GROUP BY reject_reason ORDER BY count DESC`).all(since) as { reason: string; count: number }[],
      },
      backorders: {
        count: this.db.prepare(`SELECT count(*) FROM orders WHERE ${backorderWhere}`).pluck().get() as number,
        orders: (this.db.prepare(`SELECT order_id, backordered_at FROM orders WHERE ${backorderWhere} ORDER BY backordered_at LIMIT 50`).all() as { order_id: string; backordered_at: number }[])
          .map((row) => ({ orderId: row.order_id, since: new Date(row.backordered_at).toISOString() })),
      },
      belowReorderPoint: (this.db.prepare(`SELECT sku, warehouse, on_hand - reserved AS available, reorder_point, reorder_quantity FROM stock
        WHERE reorder_point IS NOT NULL AND on_hand IS NOT NULL AND on_hand - reserved <= reorder_point ORDER BY sku, warehouse LIMIT 100`).all() as
        { sku: string; warehouse: string; available: number; reorder_point: number; reorder_quantity: number | null }[])
        .map((row) => ({ sku: row.sku, warehouse: row.warehouse, available: row.available, reorderPoint: row.reorder_point, reorderQuantity: row.reorder_quantity })),
      stuck: { afterMinutes: options.stuckAfterMs / 60_000, count: stuckCount, orders: stuck.map((row) => ({ ...row, since: new Date(row.since).toISOString() })) },
    };
  }
}
