import type { OrderCancelled, OrderPlaced, RejectionReason } from '../../catalogue/index.js';
import {
  ERRORS, BusinessRuleError, ConflictError, NotFoundError, ValidationError, money, nextSequence, toAddress, toMinor,
  type Address, type AddressInput, type CommandContext, type Line, type Money, type ServiceStore,
} from '../../hub/service/index.js';
import type { Customers } from './customers.js';

/** Order status: PLACED → CONFIRMED | REJECTED → SHIPPED → DELIVERED; PLACED or CONFIRMED → CANCELLED. */
export type OrderStatus = 'PLACED' | 'CONFIRMED' | 'REJECTED' | 'CANCELLED' | 'SHIPPED' | 'DELIVERED';
/** Invoice state as the ERP reports it. */
export type InvoiceStatus = 'ISSUED' | 'PARTIALLY_PAID' | 'PAID';

/** Body of `POST /orders`. */
export interface NewOrder {
  customerId: string;
  lines: Line[];
  shipTo?: AddressInput;
}

/** Body of `PUT /orders/:id/invoice` (flow 11). */
export interface InvoiceUpdate {
  invoiceNumber: string;
  status: InvoiceStatus;
  amount: Money;
  outstanding?: Money;
}

/** One step of an order's history. */
export interface TimelineEntry {
  status: string;
  note: string | null;
  at: number;
}

/** An order as the API shows it. */
export interface Order {
  id: string;
  customerId: string;
  status: OrderStatus;
  lines: Line[];
  shipTo: Address;
  erpOrderNumber: string | null;
  rejection: { reasonCode: string; message: string | null } | null;
  shipment: { carrier: string; trackingNumber: string } | null;
  invoice: { number: string; status: InvoiceStatus; amount: Money | null; outstanding: Money | null } | null;
  timeline: TimelineEntry[];
  placedAt: number;
  updatedAt: number;
}

interface OrderRow {
  id: string; customer_id: string; status: OrderStatus; lines: string; ship_to: string; erp_order_number: string | null;
  rejection_reason: string | null; rejection_message: string | null; carrier: string | null; tracking_number: string | null;
  invoice_number: string | null; invoice_status: InvoiceStatus | null; invoice_amount_minor: number | null; invoice_outstanding_minor: number | null;
  currency: string | null; placed_at: number; updated_at: number;
}

/** Orders of the CRM: placed and cancelled by sales reps, moved along by what the ERP and SCM report. */
export class Orders {
  constructor(private readonly store: ServiceStore, private readonly customers: Customers) {}

  get(id: string): Order {
    const row = this.row(id);
    const timeline = this.store.db.prepare('SELECT status, note, at FROM order_timeline WHERE order_id = ? ORDER BY id').all(id) as TimelineEntry[];
    return toOrder(row, timeline);
  }

  list(filter: { customerId?: string; status?: string } = {}): Order[] {
    const rows = this.store.db
      .prepare('SELECT * FROM orders WHERE (@customerId IS NULL OR customer_id = @customerId) AND (@status IS NULL OR status = @status) ORDER BY placed_at, id')
      .all({ customerId: filter.customerId ?? null, status: filter.status ?? null }) as OrderRow[];
    return rows.map((row) => toOrder(row, null));
  }

  place(input: NewOrder, command: CommandContext, now = Date.now()): Order {
    const customer = this.customers.get(input.customerId, 'customerId');
    if (customer.status !== 'ACTIVE') {
      throw new BusinessRuleError(ERRORS.CRM_CUSTOMER_INACTIVE.code, `customer ${customer.id} is deactivated and cannot order`, { field: 'customerId' });
    }
    const seen = new Set<string>();
    input.lines.forEach((line, index) => {
      if (seen.has(line.sku)) throw new ValidationError(ERRORS.CRM_ORDER_DUPLICATE_SKU.code, `SKU ${line.sku} appears twice; put the quantity on one line`, { field: `lines.${index}.sku` });
      seen.add(line.sku);
    });
    const shipTo = input.shipTo ? toAddress(input.shipTo) : (customer.shippingAddress ?? customer.billingAddress);
    const id = `O-${nextSequence(this.store.db, 'order')}`;
    const lines = input.lines.map((line) => ({ sku: line.sku, quantity: line.quantity }));
    this.store.db
      .prepare("INSERT INTO orders (id, customer_id, status, lines, ship_to, placed_at, updated_at) VALUES (?, ?, 'PLACED', ?, ?, ?, ?)")
      .run(id, customer.id, JSON.stringify(lines), JSON.stringify(shipTo), now, now);
    this.addTimeline(id, 'PLACED', null, now);
    const payload: OrderPlaced = { orderId: id, customerId: customer.id, lines: lines.map((l) => ({ ...l, unitPrice: null, lineTotal: null })), shipTo, placedAt: now };
    command.publish('switchboard.crm.OrderPlaced', payload);
    return this.get(id);
  }

  cancel(id: string, reason: string | undefined, command: CommandContext, now = Date.now()): Order {
    const order = this.row(id);
    if (order.status === 'CANCELLED') return this.get(id);
    if (order.status !== 'PLACED' && order.status !== 'CONFIRMED') {
      throw new ConflictError(ERRORS.CRM_ORDER_NOT_CANCELLABLE.code, `order ${id} is ${order.status} and can no longer be cancelled`, { field: 'id' });
    }
    this.setStatus(id, 'CANCELLED', reason ?? null, now);
    const payload: OrderCancelled = { orderId: id, customerId: order.customer_id, reason: reason ?? null, cancelledAt: now };
    command.publish('switchboard.crm.OrderCancelled', payload);
    return this.get(id);
  }

  /** Flow 6: the ERP confirmed the order. A late confirmation of a cancelled order is noted, not applied. */
  confirm(id: string, erpOrderNumber: string, now = Date.now()): Order {
    const order = this.row(id);
    this.store.db.prepare('UPDATE orders SET erp_order_number = ?, updated_at = ? WHERE id = ?').run(erpOrderNumber, now, id);
    if (order.status === 'PLACED') this.setStatus(id, 'CONFIRMED', `ERP sales order ${erpOrderNumber}`, now);
    else if (order.status === 'CANCELLED') this.addTimeline(id, 'CONFIRMED', `ERP confirmed ${erpOrderNumber} after the order was cancelled`, now);
    else if (order.status === 'REJECTED') throw new ConflictError(ERRORS.CRM_ORDER_STATE.code, `order ${id} was rejected by the ERP and cannot be confirmed`, { field: 'id' });
    return this.get(id);
  }

  /** Flow 6: the ERP rejected the order, with its reason. */
  reject(id: string, reasonCode: RejectionReason, message: string | undefined, erpOrderNumber: string | undefined, now = Date.now()): Order {
    const order = this.row(id);
    if (order.status === 'REJECTED') return this.get(id);
    if (order.status === 'CANCELLED') {
      this.addTimeline(id, 'REJECTED', `ERP rejected the cancelled order: ${reasonCode}`, now);
      return this.get(id);
    }
    if (order.status !== 'PLACED') throw new ConflictError(ERRORS.CRM_ORDER_STATE.code, `order ${id} is ${order.status} and cannot be rejected`, { field: 'id' });
    this.store.db
      .prepare('UPDATE orders SET rejection_reason = ?, rejection_message = ?, erp_order_number = coalesce(?, erp_order_number) WHERE id = ?')
      .run(reasonCode, message ?? null, erpOrderNumber ?? null, id);
    this.setStatus(id, 'REJECTED', message ? `${reasonCode}: ${message}` : reasonCode, now);
    return this.get(id);
  }

  /** Flow 10: the SCM dispatched the goods. Goods that left are shown even for a cancelled order. */
  ship(id: string, carrier: string, trackingNumber: string, now = Date.now()): Order {
    const order = this.row(id);
    if (order.status === 'REJECTED') throw new ConflictError(ERRORS.CRM_ORDER_STATE.code, `order ${id} was rejected and cannot ship`, { field: 'id' });
    this.store.db.prepare('UPDATE orders SET carrier = ?, tracking_number = ?, updated_at = ? WHERE id = ?').run(carrier, trackingNumber, now, id);
    if (order.status === 'SHIPPED' || order.status === 'DELIVERED') return this.get(id);
    const note = order.status === 'CANCELLED' ? `dispatched after cancellation: ${carrier} ${trackingNumber}` : `${carrier} ${trackingNumber}`;
    this.setStatus(id, 'SHIPPED', note, now);
    return this.get(id);
  }

  /** Flow 10: the goods arrived. */
  deliver(id: string, now = Date.now()): Order {
    const order = this.row(id);
    if (order.status === 'DELIVERED') return this.get(id);
    if (order.status !== 'SHIPPED') {
      throw new ConflictError(ERRORS.CRM_ORDER_STATE.code, `order ${id} is ${order.status}; only a shipped order can be delivered`, { field: 'id' });
    }
    this.setStatus(id, 'DELIVERED', null, now);
    return this.get(id);
  }

  /** Flow 11: an invoice was issued or paid for the order. */
  setInvoice(id: string, update: InvoiceUpdate, now = Date.now()): Order {
    const order = this.row(id);
    const outstanding = update.outstanding ?? (update.status === 'PAID' ? { amount: '0', currency: update.amount.currency } : update.amount);
    if (order.invoice_number === update.invoiceNumber && order.invoice_status === update.status &&
        order.invoice_outstanding_minor === toMinor(outstanding.amount)) return this.get(id);
    this.store.db
      .prepare('UPDATE orders SET invoice_number = ?, invoice_status = ?, invoice_amount_minor = ?, invoice_outstanding_minor = ?, currency = ?, updated_at = ? WHERE id = ?')
      .run(update.invoiceNumber, update.status, toMinor(update.amount.amount, 'amount.amount'), toMinor(outstanding.amount, 'outstanding.amount'), update.amount.currency, now, id);
    const step = update.status === 'ISSUED' ? 'INVOICED' : update.status;
    this.addTimeline(id, step, `invoice ${update.invoiceNumber}`, now);
    return this.get(id);
  }

  /** Orders still in progress for a customer (the 360 view). */
  openOrders(customerId: string): Order[] {
    return this.list({ customerId }).filter((order) => order.status === 'PLACED' || order.status === 'CONFIRMED' || order.status === 'SHIPPED');
  }

  private row(id: string): OrderRow {
    const row = this.store.db.prepare('SELECT * FROM orders WHERE id = ?').get(id) as OrderRow | undefined;
    if (!row) throw new NotFoundError(ERRORS.CRM_ORDER_NOT_FOUND.code, `order ${id} does not exist`, { field: 'id' });
    return row;
  }

  private setStatus(id: string, status: OrderStatus, note: string | null, now: number): void {
    this.store.db.prepare('UPDATE orders SET status = ?, updated_at = ? WHERE id = ?').run(status, now, id);
    this.addTimeline(id, status, note, now);
  }

  private addTimeline(id: string, status: string, note: string | null, at: number): void {
    this.store.db.prepare('INSERT INTO order_timeline (order_id, status, note, at) VALUES (?, ?, ?, ?)').run(id, status, note, at);
  }
}

function toOrder(row: OrderRow, timeline: TimelineEntry[] | null): Order {
  const currency = row.currency ?? 'EUR';
  return {
    id: row.id, customerId: row.customer_id, status: row.status,
    lines: JSON.parse(row.lines) as Line[], shipTo: JSON.parse(row.ship_to) as Address,
    erpOrderNumber: row.erp_order_number,
    rejection: row.rejection_reason === null ? null : { reasonCode: row.rejection_reason, message: row.rejection_message },
    shipment: row.carrier === null || row.tracking_number === null ? null : { carrier: row.carrier, trackingNumber: row.tracking_number },
    invoice: row.invoice_number === null || row.invoice_status === null ? null : {
      number: row.invoice_number, status: row.invoice_status,
      amount: row.invoice_amount_minor === null ? null : money(row.invoice_amount_minor, currency),
      outstanding: row.invoice_outstanding_minor === null ? null : money(row.invoice_outstanding_minor, currency),
    },
    timeline: timeline ?? [],
    placedAt: row.placed_at, updatedAt: row.updated_at,
  };
}
