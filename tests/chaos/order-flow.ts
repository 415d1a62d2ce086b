/**
 * The order flow the chaos scenarios push through a running system, and the ledger that says
 * what became of every order: a stream of CRM orders (each retried with its own
 * Idempotency-Key until the CRM accepts it), a dispatcher that dispatches every READY shipment
 * of those orders (as a warehouse would), and per accepted order the effects counted in the
 * three systems: exactly one ERP sales order, exactly one SCM shipment, and the CRM order
 * SHIPPED (a cancelled order: its one sales order CANCELLED, nothing dispatched).
 */
import { randomUUID } from 'node:crypto';
import type { SystemName } from '../../catalogue/index.js';
import { kitCredentials } from '../kit/credentials.js';

/** What the chaos scenarios need of a running system (the kit's RunningSystem has it all). */
export interface FlowSystem {
  readonly urls: Readonly<Record<SystemName, string>>;
}

/** One JSON call with a timeout, as the operator (the kit's services require credentials); resolves with the status (0: no answer) and the body. */
export async function call(baseUrl: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}, timeoutMs = 10_000): Promise<{ status: number; body: unknown }> {
  try {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { accept: 'application/json', authorization: kitCredentials().operatorAuthorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
  } catch {
    return { status: 0, body: undefined };
  }
}

/** Calls (one Idempotency-Key for all tries) until a 2xx answer; a 4xx, or no success within 2 minutes, throws. */
async function until2xx(baseUrl: string, method: string, path: string, body: unknown, what: string, giveUpAt = Date.now() + 120_000): Promise<unknown> {
  const key = `seed-${randomUUID()}`;
  for (;;) {
    const answer = await call(baseUrl, method, path, body, { 'idempotency-key': key });
    if (answer.status >= 200 && answer.status < 300) return answer.body;
    if ((answer.status >= 400 && answer.status < 500) || Date.now() > giveUpAt) throw new Error(`${what}: ${method} ${path} answered ${answer.status} ${JSON.stringify(answer.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function poll<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** What a scenario's orders are made of: customers with ERP accounts, products with stock. */
export interface World {
  readonly label: string;
  readonly customers: readonly string[];
  readonly skus: readonly string[];
  readonly warehouse: string;
}

/**
 * Seeds a world through the services: a warehouse, two products (flow 12 puts them into the
 * SCM and the CRM) with plenty of stock, and customers whose ERP accounts exist (flows 1 and 3).
 * Prices are low and customers ENTERPRISE, so no order is ever refused for credit.
 */
export async function seedWorld(system: FlowSystem, label: string, customerCount = 4): Promise<World> {
  const tag = `${label}-${randomUUID().slice(0, 6)}`.toUpperCase();
  const { crm, erp, scm } = system.urls;
  const warehouse = `WH-${tag}`;
  await until2xx(scm, 'POST', '/warehouses', { id: warehouse, name: `Chaos ${tag}`, address: { line1: '1 Dock Road', city: 'Rotterdam', postalCode: '3011', country: 'NL' } }, 'warehouse');
  const skus = [`CH-${tag}-A`, `CH-${tag}-B`];
  for (const sku of skus) {
    await until2xx(erp, 'POST', '/products', { sku, name: `Chaos ${sku}`, unitPrice: { amount: '1.00', currency: 'EUR' }, standardCost: { amount: '0.50', currency: 'EUR' } }, 'product');
    await poll(async () => ((await call(scm, 'GET', `/items/${sku}`)).status === 200 ? true : undefined), `${sku} in the SCM`);
    await poll(async () => ((await call(crm, 'GET', `/products/${sku}`)).status === 200 ? true : undefined), `${sku} in the CRM`);
    await until2xx(scm, 'POST', '/stock/receipts', { sku, warehouseId: warehouse, quantity: 1_000_000 }, 'stock');
  }
  const customers: string[] = [];
  for (let i = 0; i < customerCount; i++) {
    const created = (await until2xx(crm, 'POST', '/customers', {
      name: `Chaos ${tag} ${i}`, email: `chaos-${tag.toLowerCase()}-${i}@example.com`, segment: 'ENTERPRISE',
      billingAddress: { line1: '5 Market Street', city: 'Utrecht', postalCode: '3511', country: 'NL' },
    }, 'customer')) as { id: string };
    customers.push(created.id);
  }
  for (const id of customers) {
    await poll(async () => {
      const answer = await call(crm, 'GET', `/customers/${id}`);
      return (answer.body as { erpAccountNumber?: string | null } | undefined)?.erpAccountNumber ? true : undefined;
    }, `the ERP account of ${id}`);
  }
  return { label: tag, customers, skus, warehouse };
}

export interface OrderStreamOptions {
  readonly orders: number;
  readonly perSecond: number;
  /** Every n-th order is cancelled right after it is accepted (its events share the order's key). 0: none. */
  readonly cancelEvery?: number;
}

/**
 * Places `orders` CRM orders at `perSecond`, each with its own Idempotency-Key and retried
 * until the CRM accepts it (a CRM killed mid-request answers the retry with the stored order).
 * `sent` counts the orders tried, `accepted` those the CRM confirmed.
 */
export class OrderStream {
  readonly accepted: string[] = [];
  readonly cancelled = new Set<string>();
  sent = 0;
  /** Calls that got no 2xx (refused, reset, timed out) and were tried again. */
  retries = 0;
  private stopped = false;
  private running: Promise<void> | undefined;

  constructor(private readonly system: FlowSystem, private readonly world: World, private readonly options: OrderStreamOptions) {}

  start(): this {
    const startedAt = Date.now();
    this.running = Promise.all(Array.from({ length: this.options.orders }, async (_, i) => {
      const due = startedAt + (i * 1000) / this.options.perSecond;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())));
      if (this.stopped) return;
      this.sent++;
      await this.place(i);
    })).then(() => undefined);
    return this;
  }

  /** Resolves once every order was accepted or given up (after `stop()`). */
  async finished(): Promise<void> {
    await this.running;
  }

  /** Stops sending new orders and retrying refused ones. */
  stop(): void {
    this.stopped = true;
  }

  private async place(i: number): Promise<void> {
    const key = `chaos-order-${this.world.label}-${i}`;
    const body = { customerId: this.world.customers[i % this.world.customers.length], lines: [{ sku: this.world.skus[i % this.world.skus.length], quantity: 1 }] };
    for (;;) {
      const answer = await call(this.system.urls.crm, 'POST', '/orders', body, { 'idempotency-key': key });
      if (answer.status === 201 || answer.status === 200) {
        const id = (answer.body as { id: string }).id;
        this.accepted.push(id);
        if (this.options.cancelEvery && i % this.options.cancelEvery === this.options.cancelEvery - 1) await this.cancel(id);
        return;
      }
      if (this.stopped) return;
      this.retries++;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }

  private async cancel(id: string): Promise<void> {
    this.cancelled.add(id);
    for (;;) {
      const answer = await call(this.system.urls.crm, 'POST', `/orders/${id}/cancel`, { reason: 'chaos: changed mind' }, { 'idempotency-key': `chaos-cancel-${id}` });
      if ((answer.status >= 200 && answer.status < 300) || answer.status === 409) return;
      if (this.stopped) return;
      this.retries++;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
}

/** Dispatches every READY shipment of the stream's orders (not cancelled ones), once each, as the warehouse would. */
export class Dispatcher {
  private readonly dispatched = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(private readonly system: FlowSystem, private readonly stream: OrderStream) {}

  start(): this {
    this.timer = setInterval(() => void this.round(), 200);
    return this;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async round(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const answer = await call(this.system.urls.scm, 'GET', '/shipments?status=READY');
      if (answer.status !== 200) return;
      const ours = new Set(this.stream.accepted);
      const ready = (answer.body as { id: string; crmOrderId: string }[])
        .filter((shipment) => ours.has(shipment.crmOrderId) && !this.stream.cancelled.has(shipment.crmOrderId) && !this.dispatched.has(shipment.id));
      // All at once: the harness must not be what the drain time measures.
      await Promise.all(ready.map(async (shipment) => {
        const done = await call(this.system.urls.scm, 'POST', `/shipments/${shipment.id}/dispatch`, { carrier: 'CHAOS', trackingNumber: `TRK-${shipment.id}` }, { 'idempotency-key': `chaos-dispatch-${shipment.id}` });
        if ((done.status >= 200 && done.status < 300) || done.status === 409) this.dispatched.add(shipment.id);
      }));
    } finally {
      this.busy = false;
    }
  }
}

/** What became of a stream's accepted orders. */
export interface Ledger {
  /** Orders whose effects are all there, exactly once. */
  readonly applied: number;
  /** Orders with more than one sales order or shipment. */
  readonly duplicated: number;
  /** Orders still missing an effect. */
  readonly missing: number;
  /** A few of the missing orders, with what they lack, for a failure message. */
  readonly missingSample: readonly string[];
}

/** Counts the effects of `stream`'s accepted orders in the three systems; undefined when a system does not answer. */
export async function ledger(system: FlowSystem, stream: OrderStream): Promise<Ledger | undefined> {
  const [salesOrders, shipments, shipped, cancelled] = await Promise.all([
    call(system.urls.erp, 'GET', '/sales-orders'),
    call(system.urls.scm, 'GET', '/shipments'),
    call(system.urls.crm, 'GET', '/orders?status=SHIPPED'),
    call(system.urls.crm, 'GET', '/orders?status=CANCELLED'),
  ]);
  if ([salesOrders, shipments, shipped, cancelled].some((answer) => answer.status !== 200)) return undefined;
  const countBy = (rows: { crmOrderId: string }[]) => {
    const counts = new Map<string, number>();
    for (const row of rows) counts.set(row.crmOrderId, (counts.get(row.crmOrderId) ?? 0) + 1);
    return counts;
  };
  const soRows = salesOrders.body as { crmOrderId: string; status: string }[];
  const so = countBy(soRows);
  const soStatus = new Map(soRows.map((row) => [row.crmOrderId, row.status]));
  const sh = countBy(shipments.body as { crmOrderId: string }[]);
  const shippedIds = new Set((shipped.body as { id: string }[]).map((order) => order.id));
  let applied = 0;
  let duplicated = 0;
  const missing: string[] = [];
  for (const id of stream.accepted) {
    const orders = so.get(id) ?? 0;
    const ships = sh.get(id) ?? 0;
    if (orders > 1 || ships > 1) {
      duplicated++;
      continue;
    }
    const complete = stream.cancelled.has(id) ? orders === 1 && soStatus.get(id) === 'CANCELLED' : orders === 1 && ships === 1 && shippedIds.has(id);
    if (complete) applied++;
    else missing.push(`${id} (sales orders ${orders}${orders ? ` ${soStatus.get(id)}` : ''}, shipments ${ships}, ${shippedIds.has(id) ? 'SHIPPED' : 'not shipped'}${stream.cancelled.has(id) ? ', cancelled' : ''})`);
  }
  return { applied, duplicated, missing: missing.length, missingSample: missing.slice(0, 5) };
}

/**
 * Waits until every accepted order of `stream` has its effects (or `timeoutMs` passes), and
 * says how long that took from `since` (the end of the fault). `drainMs` is null when the
 * orders did not all complete in time.
 */
export async function drain(system: FlowSystem, stream: OrderStream, since: number, timeoutMs: number): Promise<{ ledger: Ledger; drainMs: number | null; slowest: string }> {
  await stream.finished();
  const deadline = Date.now() + timeoutMs;
  let last: Ledger | undefined;
  for (;;) {
    last = (await ledger(system, stream)) ?? last;
    if (last && last.missing === 0) return { ledger: last, drainMs: Math.max(0, Date.now() - since), slowest: await slowestOrder(system, stream, since) };
    if (Date.now() > deadline) return { ledger: last ?? { applied: 0, duplicated: 0, missing: stream.accepted.length, missingSample: [] }, drainMs: null, slowest: '' };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Where the time went for the order that completed last: its steps in the CRM timeline and its
 * shipment's creation and dispatch, in seconds from `since` (the end of the fault).
 */
async function slowestOrder(system: FlowSystem, stream: OrderStream, since: number): Promise<string> {
  const shipped = await call(system.urls.crm, 'GET', '/orders?status=SHIPPED');
  if (shipped.status !== 200) return '';
  const ours = new Set(stream.accepted);
  let slowest: { id: string; at: number } | undefined;
  for (const order of shipped.body as { id: string }[]) {
    if (!ours.has(order.id)) continue;
    const detail = await call(system.urls.crm, 'GET', `/orders/${order.id}`);
    const at = ((detail.body as { timeline?: { status: string; at: number }[] }).timeline ?? []).find((entry) => entry.status === 'SHIPPED')?.at ?? 0;
    if (!slowest || at > slowest.at) slowest = { id: order.id, at };
  }
  if (!slowest) return '';
  const rel = (at: number | null | undefined) => (at ? `${((at - since) / 1000).toFixed(1)}` : '-');
  const detail = (await call(system.urls.crm, 'GET', `/orders/${slowest.id}`)).body as { timeline: { status: string; at: number }[] };
  const [shipment] = ((await call(system.urls.scm, 'GET', `/shipments?crmOrderId=${slowest.id}`)).body ?? []) as { createdAt: number; dispatchedAt: number | null }[];
  const steps = detail.timeline.map((entry) => `${entry.status} ${rel(entry.at)}`).join(', ');
  return `slowest ${slowest.id} (s from the fault's end): ${steps}; shipment created ${rel(shipment?.createdAt)}, dispatched ${rel(shipment?.dispatchedAt)}`;
}
