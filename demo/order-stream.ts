/**
 * The demo's moving part: places orders in the CRM at a steady rate, then plays the people
 * around the flows — the warehouse dispatches shipments that are ready and books goods
 * receipts for purchase orders the ERP raised, accounts receivable pays issued invoices —
 * and reports every step an order reaches as the CRM shows it.
 */
import type { Services } from './http.js';
import type { SeededData } from './seed.js';

/** The steps of order-to-cash as the CRM shows them, in order. */
export const STEPS = ['PLACED', 'CONFIRMED', 'BACKORDERED', 'SHIPPED', 'INVOICED', 'PAID'] as const;
export type Step = (typeof STEPS)[number] | 'REJECTED' | 'CANCELLED' | 'STUCK';

/** One step an order reached, for the caller to print. */
export interface StepReport {
  readonly orderId: string;
  readonly step: Step;
  /** Steps reached so far, in order. */
  readonly path: readonly Step[];
  /** Seconds since the CRM accepted the order. */
  readonly elapsedS: number;
  readonly detail: string;
}

export interface OrderStreamOptions {
  /** Orders placed per second. */
  readonly rate: number;
  /** Stop placing after this many; 0 = until `stopPlacing()`. */
  readonly maxOrders: number;
  /** An order with no new step for this long is reported STUCK and no longer followed. */
  readonly stuckAfterMs?: number;
  readonly onStep: (report: StepReport) => void;
  readonly onNote: (line: string) => void;
}

interface CrmOrder {
  id: string;
  status: 'PLACED' | 'CONFIRMED' | 'REJECTED' | 'SHIPPED' | 'DELIVERED' | 'CANCELLED';
  erpOrderNumber: string | null;
  rejection: { reasonCode: string; message: string | null } | null;
  shipment: { carrier: string; trackingNumber: string } | null;
  invoice: { number: string; status: 'ISSUED' | 'PARTIALLY_PAID' | 'PAID'; amount: { amount: string } | null; outstanding: { amount: string; currency: string } | null } | null;
}

interface Shipment {
  id: string;
  status: 'BACKORDERED' | 'READY' | 'DISPATCHED' | 'DELIVERED' | 'CANCELLED';
}

interface ExpectedReceipt {
  purchaseOrderNumber: string;
  sku: string;
  warehouseId: string;
  quantity: number;
}

interface Tracked {
  readonly id: string;
  readonly acceptedAt: number;
  path: Step[];
  lastProgressAt: number;
  dispatched: boolean;
  paidInvoice: string | undefined;
  /** Details of steps seen but not yet reported. */
  pendingDetails: string[];
  reported: boolean;
}

/** Counters for the periodic summary. */
export interface StreamCounters {
  placed: number;
  paid: number;
  rejected: number;
  stuck: number;
  failedToPlace: number;
  purchaseOrdersReceived: number;
  /** Seconds from accepted to PAID of the paid orders. */
  readonly cycleTimesS: number[];
}

const CARRIERS = ['DHL', 'UPS', 'DPD', 'GLS'];
const FOLLOW_INTERVAL_MS = 700;
const RECEIPT_INTERVAL_MS = 3000;

export class OrderStream {
  readonly counters: StreamCounters = { placed: 0, paid: 0, rejected: 0, stuck: 0, failedToPlace: 0, purchaseOrdersReceived: 0, cycleTimesS: [] };
  private readonly inFlight = new Map<string, Tracked>();
  private readonly receivedPurchaseOrders = new Set<string>();
  private placing = true;
  private stopped = false;
  private sequence = 0;

  constructor(private readonly services: Services, private readonly data: SeededData, private readonly options: OrderStreamOptions) {}

  /** Orders being followed right now. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Stops placing new orders; the ones in flight are still followed. */
  stopPlacing(): void {
    this.placing = false;
  }

  /** Stops everything at once. */
  stop(): void {
    this.placing = false;
    this.stopped = true;
  }

  /** Runs until placing has stopped and every order placed has finished (or `stop()`). */
  async run(): Promise<void> {
    await Promise.all([this.placeLoop(), this.followLoop(), this.receiptLoop()]);
  }

  private async placeLoop(): Promise<void> {
    const interval = 1000 / this.options.rate;
    let next = performance.now();
    while (this.placing && !this.stopped) {
      if (this.options.maxOrders > 0 && this.counters.placed + this.counters.failedToPlace >= this.options.maxOrders) break;
      // Placing does not wait for the answer, so a slow answer does not lower the rate.
      void this.placeOne();
      next += interval;
      const wait = next - performance.now();
      if (wait > 0) await sleep(wait);
      else next = performance.now(); // behind: do not burst to catch up
    }
    this.placing = false;
  }

  private async placeOne(): Promise<void> {
    const n = this.sequence++;
    const customerId = pick(this.data.customerIds, n);
    const skus = [...this.data.skus].sort(() => Math.random() - 0.5).slice(0, 1 + (n % 2));
    const lines = skus.map((sku) => ({ sku, quantity: 1 + Math.floor(Math.random() * 3) }));
    try {
      const answer = await this.services.post<CrmOrder>('crm', '/orders', { customerId, lines });
      const now = Date.now();
      this.counters.placed++;
      const tracked: Tracked = { id: answer.body.id, acceptedAt: now, path: ['PLACED'], lastProgressAt: now, dispatched: false, paidInvoice: undefined, pendingDetails: [], reported: true };
      this.inFlight.set(tracked.id, tracked);
      this.options.onStep({ orderId: tracked.id, step: 'PLACED', path: tracked.path, elapsedS: 0, detail: `${customerId}  ${lines.map((l) => `${l.quantity}x${l.sku}`).join(' ')}` });
    } catch (error) {
      this.counters.failedToPlace++;
      this.options.onNote(`could not place an order: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async followLoop(): Promise<void> {
    while (!this.stopped && (this.placing || this.inFlight.size > 0)) {
      const started = Date.now();
      const orders = [...this.inFlight.values()];
      for (let i = 0; i < orders.length; i += 16) {
        await Promise.all(orders.slice(i, i + 16).map((order) => this.follow(order).catch((error: unknown) => {
          this.options.onNote(`while following ${order.id}: ${error instanceof Error ? error.message : String(error)}`);
        })));
      }
      await sleep(Math.max(100, FOLLOW_INTERVAL_MS - (Date.now() - started)));
    }
  }

  /** Reads the order in the CRM, reports new steps, and does the people's part when it is due. */
  private async follow(order: Tracked): Promise<void> {
    try {
      await this.observe(order);
    } finally {
      this.flush(order);
    }
  }

  private async observe(order: Tracked): Promise<void> {
    const crm = (await this.services.get<CrmOrder>('crm', `/orders/${order.id}`)).body;
    if (crm.status === 'REJECTED') {
      this.finish(order, 'REJECTED', `${crm.rejection?.reasonCode ?? ''} ${crm.rejection?.message ?? ''}`.trim());
      this.counters.rejected++;
      return;
    }
    if (crm.status === 'CANCELLED') {
      this.finish(order, 'CANCELLED', '');
      return;
    }
    if (crm.erpOrderNumber && crm.status !== 'PLACED') this.reach(order, 'CONFIRMED', `ERP ${crm.erpOrderNumber}`);
    if (crm.shipment) this.reach(order, 'SHIPPED', `${crm.shipment.carrier} ${crm.shipment.trackingNumber}`);
    if (crm.invoice) this.reach(order, 'INVOICED', `${crm.invoice.number} ${crm.invoice.amount?.amount ?? ''} EUR`);
    if (crm.invoice?.status === 'PAID') {
      this.counters.paid++;
      this.counters.cycleTimesS.push((Date.now() - order.acceptedAt) / 1000);
      this.finish(order, 'PAID', crm.invoice.number);
      return;
    }

    // The warehouse dispatches what the SCM has fully reserved.
    if (order.path.includes('CONFIRMED') && !order.dispatched) {
      const shipments = (await this.services.get<Shipment[]>('scm', `/shipments?crmOrderId=${encodeURIComponent(order.id)}`)).body;
      const shipment = shipments[0];
      if (shipment?.status === 'BACKORDERED') this.reach(order, 'BACKORDERED', `shipment ${shipment.id} waits for stock`);
      if (shipment?.status === 'READY') {
        const carrier = pick(CARRIERS, this.counters.placed);
        await this.services.post('scm', `/shipments/${shipment.id}/dispatch`, { carrier, trackingNumber: trackingNumber() }, { accept: [409] });
        order.dispatched = true;
      } else if (shipment && shipment.status !== 'BACKORDERED' && shipment.status !== 'CANCELLED') {
        order.dispatched = true;
      }
    }

    // Accounts receivable pays what is outstanding.
    // (A PAID invoice finished the order above.)
    if (crm.invoice && order.paidInvoice !== crm.invoice.number && crm.invoice.outstanding) {
      await this.services.post('erp', '/payments', { invoiceNumber: crm.invoice.number, amount: crm.invoice.outstanding }, { accept: [409, 422] });
      order.paidInvoice = crm.invoice.number;
    }

    if (Date.now() - order.lastProgressAt > (this.options.stuckAfterMs ?? 120_000)) {
      this.counters.stuck++;
      this.finish(order, 'STUCK', `no step for ${Math.round((Date.now() - order.lastProgressAt) / 1000)} s`);
    }
  }

  /** The warehouse books goods receipts for the purchase orders the ERP raised (flows 13, 14, 7). */
  private async receiptLoop(): Promise<void> {
    while (!this.stopped && (this.placing || this.inFlight.size > 0)) {
      try {
        const expected = (await this.services.get<ExpectedReceipt[]>('scm', '/expected-receipts?status=EXPECTED')).body;
        for (const receipt of expected) {
          if (this.receivedPurchaseOrders.has(receipt.purchaseOrderNumber)) continue;
          this.receivedPurchaseOrders.add(receipt.purchaseOrderNumber);
          await this.services.post('scm', '/stock/receipts', { sku: receipt.sku, warehouseId: receipt.warehouseId, quantity: receipt.quantity, reference: receipt.purchaseOrderNumber });
          this.counters.purchaseOrdersReceived++;
          this.options.onNote(`goods receipt for purchase order ${receipt.purchaseOrderNumber}: ${receipt.quantity} x ${receipt.sku} into ${receipt.warehouseId}`);
        }
      } catch (error) {
        this.options.onNote(`could not book goods receipts: ${error instanceof Error ? error.message : String(error)}`);
      }
      await sleep(RECEIPT_INTERVAL_MS);
    }
  }

  /** Records a step; the steps seen in one look at the order are reported together by `flush`. */
  private reach(order: Tracked, step: Step, detail: string): void {
    if (order.path.includes(step)) return;
    order.path = [...order.path, step];
    order.lastProgressAt = Date.now();
    if (detail) order.pendingDetails.push(detail);
    order.reported = false;
  }

  private flush(order: Tracked): void {
    if (order.reported) return;
    order.reported = true;
    const step = order.path[order.path.length - 1];
    this.options.onStep({ orderId: order.id, step, path: order.path, elapsedS: (Date.now() - order.acceptedAt) / 1000, detail: order.pendingDetails.join('; ') });
    order.pendingDetails = [];
  }

  private finish(order: Tracked, step: Step, detail: string): void {
    this.reach(order, step, detail);
    this.inFlight.delete(order.id);
  }
}

function pick<T>(values: readonly T[], n: number): T {
  return values[n % values.length];
}

function trackingNumber(): string {
  return `JD${Math.floor(Math.random() * 1e12).toString().padStart(12, '0')}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
