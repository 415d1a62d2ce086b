import type { EventFullName, EventTypeMap, Money } from '../../catalogue/index.js';

/** The business objects the projection keeps a timeline of. */
export const SUBJECT_KINDS = Object.freeze(['order', 'customer', 'sku', 'invoice', 'shipment', 'purchase-order'] as const);
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

/** One business object: its kind and its id (a CRM order id, a CRM customer id, a SKU, ...). */
export interface Subject {
  readonly kind: SubjectKind;
  readonly id: string;
}

/** An id some system gives a business object, e.g. the ERP sales order number of CRM order `O-7`. */
export interface Alias {
  readonly alias: string;
  readonly kind: SubjectKind;
  readonly subject: string;
  /** What the id is, in words: `ERP sales order`, `SCM shipment`. */
  readonly label: string;
}

/** Columns of an order's row an event sets (each only once: the first time wins). */
export interface OrderMilestones {
  readonly orderId: string;
  readonly customerId?: string;
  readonly placedAt?: number;
  readonly confirmedAt?: number;
  readonly rejectedAt?: number;
  readonly rejectReason?: string;
  readonly cancelledAt?: number;
  readonly shipmentCreatedAt?: number;
  readonly backorderedAt?: number;
  readonly dispatchedAt?: number;
  readonly deliveredAt?: number;
  readonly invoicedAt?: number;
  readonly paidAt?: number;
  /** The confirmed order total, in cents, and its currency. */
  readonly totalCents?: number;
  readonly currency?: string;
  readonly invoicedCents?: number;
}

/** A stock position of one SKU in one warehouse (from StockMoved) or its reorder settings (from ReorderPointReached). */
export type StockFact =
  | { readonly kind: 'moved'; readonly sku: string; readonly warehouse: string; readonly onHand: number; readonly reserved: number; readonly at: number }
  | { readonly kind: 'reorder-point'; readonly sku: string; readonly warehouse: string; readonly reorderPoint: number; readonly reorderQuantity: number; readonly at: number };

/** A customer account's credit standing. */
export interface CreditFact {
  readonly customerId: string;
  readonly accountNumber: string;
  readonly status: string;
  readonly reason: string | null;
  readonly at: number;
}

/**
 * What the projection learns from one domain event besides its headers. `summary` is one line
 * without personal data (no names, e-mails or addresses), so every role may read timelines.
 */
export interface EventFacts {
  /** The aggregate the event is keyed by (its topic's key field). */
  readonly subject: Subject;
  /** Every id the event names: its subject's, the other systems' ids, references, SKUs. */
  readonly mentions: readonly string[];
  readonly aliases: readonly Alias[];
  readonly summary: string;
  readonly order?: OrderMilestones;
  readonly stock?: StockFact;
  readonly credit?: CreditFact;
}

/**
 * Cents of a decimal amount with two fractional digits (`"12.5"` and `"12.50"` are 1250).
 *
 * @example
 * ```ts
 * centsOf({ amount: '537.90', currency: 'EUR' }); // 53790
 * ```
 */
export function centsOf(money: Money): number {
  const [whole, fraction = ''] = money.amount.replace(/^-/, '').split('.');
  const cents = Number(whole) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
  return money.amount.startsWith('-') ? -cents : cents;
}

const money = (m: Money): string => `${m.amount} ${m.currency}`;
const lines = (n: number): string => `${n} line${n === 1 ? '' : 's'}`;
const uniq = (ids: readonly (string | null | undefined)[]): string[] => [...new Set(ids.filter((id): id is string => typeof id === 'string' && id.length > 0))];

type Extractor<K extends EventFullName> = (value: EventTypeMap[K], at: number) => EventFacts;
type Extractors = { readonly [K in EventFullName]: Extractor<K> };

const order = (id: string): Subject => ({ kind: 'order', id });
const customer = (id: string): Subject => ({ kind: 'customer', id });
const alias = (id: string | null | undefined, kind: SubjectKind, subject: string, label: string): Alias[] => (id ? [{ alias: id, kind, subject, label }] : []);

/** Per event type: its subject, the ids it names and links, and what it changes of an order, a stock position or a credit standing. */
const EXTRACTORS: Extractors = {
  'switchboard.crm.CustomerCreated': (v) => ({ subject: customer(v.customerId), mentions: [v.customerId], aliases: [], summary: `Customer created (${v.segment})` }),
  'switchboard.crm.CustomerUpdated': (v) => ({ subject: customer(v.customerId), mentions: [v.customerId], aliases: [], summary: `Customer updated (${v.segment})` }),
  'switchboard.crm.CustomerDeactivated': (v) => ({ subject: customer(v.customerId), mentions: [v.customerId], aliases: [], summary: 'Customer deactivated' }),
  'switchboard.crm.OrderPlaced': (v, at) => ({
    subject: order(v.orderId), mentions: uniq([v.orderId, v.customerId, ...v.lines.map((l) => l.sku)]), aliases: [],
    summary: `Order placed: ${lines(v.lines.length)}, ${v.lines.reduce((sum, l) => sum + l.quantity, 0)} units`,
    order: { orderId: v.orderId, customerId: v.customerId, placedAt: at },
  }),
  'switchboard.crm.OrderCancelled': (v, at) => ({
    subject: order(v.orderId), mentions: uniq([v.orderId, v.customerId]), aliases: [], summary: 'Order cancelled in the CRM',
    order: { orderId: v.orderId, customerId: v.customerId, cancelledAt: at },
  }),
  'switchboard.erp.CustomerAccountOpened': (v, at) => ({
    subject: customer(v.crmCustomerId), mentions: uniq([v.crmCustomerId, v.accountNumber]), aliases: alias(v.accountNumber, 'customer', v.crmCustomerId, 'ERP account'),
    summary: `ERP account ${v.accountNumber} opened, credit ${v.creditStatus}, limit ${money(v.creditLimit)}`,
    credit: { customerId: v.crmCustomerId, accountNumber: v.accountNumber, status: v.creditStatus, reason: null, at },
  }),
  'switchboard.erp.CreditStatusChanged': (v, at) => ({
    subject: customer(v.crmCustomerId), mentions: uniq([v.crmCustomerId, v.accountNumber]), aliases: alias(v.accountNumber, 'customer', v.crmCustomerId, 'ERP account'),
    summary: `Credit ${v.previousCreditStatus && v.previousCreditStatus !== v.creditStatus ? `${v.previousCreditStatus} → ` : ''}${v.creditStatus}, balance ${money(v.balance)}`,
    credit: { customerId: v.crmCustomerId, accountNumber: v.accountNumber, status: v.creditStatus, reason: v.reason ?? null, at },
  }),
  'switchboard.erp.SalesOrderConfirmed': (v, at) => ({
    subject: order(v.crmOrderId), mentions: uniq([v.crmOrderId, v.salesOrderNumber, v.crmCustomerId, v.erpAccountNumber, ...v.lines.map((l) => l.sku)]),
    aliases: alias(v.salesOrderNumber, 'order', v.crmOrderId, 'ERP sales order'),
    summary: `Sales order ${v.salesOrderNumber} confirmed, ${money(v.total)}`,
    order: { orderId: v.crmOrderId, customerId: v.crmCustomerId, confirmedAt: at, totalCents: centsOf(v.total), currency: v.total.currency },
  }),
  'switchboard.erp.SalesOrderRejected': (v, at) => ({
    subject: order(v.crmOrderId), mentions: uniq([v.crmOrderId, v.crmCustomerId, v.salesOrderNumber]),
    aliases: alias(v.salesOrderNumber, 'order', v.crmOrderId, 'ERP sales order'),
    summary: `Rejected by the ERP: ${v.reasonCode}`,
    order: { orderId: v.crmOrderId, customerId: v.crmCustomerId, rejectedAt: at, rejectReason: v.reasonCode },
  }),
  'switchboard.erp.SalesOrderCancelled': (v, at) => ({
    subject: order(v.crmOrderId), mentions: uniq([v.crmOrderId, v.salesOrderNumber]), aliases: alias(v.salesOrderNumber, 'order', v.crmOrderId, 'ERP sales order'),
    summary: `Sales order ${v.salesOrderNumber} cancelled`, order: { orderId: v.crmOrderId, cancelledAt: at },
  }),
  'switchboard.erp.InvoiceIssued': (v, at) => ({
    subject: order(v.crmOrderId), mentions: uniq([v.crmOrderId, v.invoiceNumber, v.salesOrderNumber, v.crmCustomerId, v.erpAccountNumber]),
    aliases: [...alias(v.invoiceNumber, 'order', v.crmOrderId, 'ERP invoice'), ...alias(v.invoiceNumber, 'invoice', v.invoiceNumber, 'ERP invoice'), ...alias(v.salesOrderNumber, 'order', v.crmOrderId, 'ERP sales order')],
    summary: `Invoice ${v.invoiceNumber} issued, ${money(v.amount)}`,
    order: { orderId: v.crmOrderId, customerId: v.crmCustomerId, invoicedAt: at, invoicedCents: centsOf(v.amount), currency: v.amount.currency },
  }),
  'switchboard.erp.PaymentReceived': (v, at) => ({
    subject: order(v.crmOrderId), mentions: uniq([v.crmOrderId, v.invoiceNumber, v.paymentId, v.salesOrderNumber, v.crmCustomerId]),
    aliases: [...alias(v.paymentId, 'order', v.crmOrderId, 'ERP payment'), ...alias(v.invoiceNumber, 'invoice', v.invoiceNumber, 'ERP invoice')],
    summary: `Payment ${v.paymentId} of ${money(v.amount)}; ${v.invoiceSettled ? 'invoice settled' : `${money(v.invoiceOutstanding)} outstanding`}`,
    order: { orderId: v.crmOrderId, ...(v.invoiceSettled ? { paidAt: at } : {}) },
  }),
  'switchboard.erp.ProductCreated': (v) => ({ subject: { kind: 'sku', id: v.sku }, mentions: [v.sku], aliases: [], summary: `Product created, ${money(v.unitPrice)}` }),
  'switchboard.erp.PriceChanged': (v) => ({ subject: { kind: 'sku', id: v.sku }, mentions: [v.sku], aliases: [], summary: `Price changed to ${money(v.unitPrice)}` }),
  'switchboard.erp.PurchaseOrderPlaced': (v) => ({
    subject: { kind: 'purchase-order', id: v.purchaseOrderNumber }, mentions: uniq([v.purchaseOrderNumber, v.warehouseId, ...v.lines.map((l) => l.sku)]), aliases: [],
    summary: `Purchase order placed: ${v.lines.map((l) => `${l.quantity} × ${l.sku}`).join(', ')} for ${v.warehouseId}${v.reorderReference ? ` (reorder ${v.reorderReference})` : ''}`,
  }),
  'switchboard.scm.StockMoved': (v, at) => ({
    subject: { kind: 'sku', id: v.sku }, mentions: uniq([v.sku, v.reference, v.movementId]), aliases: [],
    summary: `${v.movementType} ${v.quantity > 0 ? '+' : ''}${v.quantity} in ${v.warehouseId}${v.reference ? ` (${v.reference})` : ''}: on hand ${v.onHand}, reserved ${v.reserved}`,
    stock: { kind: 'moved', sku: v.sku, warehouse: v.warehouseId, onHand: v.onHand, reserved: v.reserved, at },
  }),
  'switchboard.scm.StockShortage': (v, at) => ({
    subject: { kind: 'sku', id: v.sku }, mentions: uniq([v.sku, v.crmOrderId, v.salesOrderNumber]), aliases: [],
    summary: `Short of ${v.sku}: ${v.requested} requested, ${v.available} available${v.salesOrderNumber ? ` (${v.salesOrderNumber})` : ''}`,
    ...(v.crmOrderId ? { order: { orderId: v.crmOrderId, backorderedAt: at } } : {}),
  }),
  'switchboard.scm.ReorderPointReached': (v, at) => ({
    subject: { kind: 'sku', id: v.sku }, mentions: [v.sku], aliases: [],
    summary: `Reorder point reached in ${v.warehouseId}: ${v.available} available, point ${v.reorderPoint}`,
    stock: { kind: 'reorder-point', sku: v.sku, warehouse: v.warehouseId, reorderPoint: v.reorderPoint, reorderQuantity: v.reorderQuantity, at },
  }),
  'switchboard.scm.ShipmentCreated': (v, at) => ({
    subject: order(v.crmOrderId), mentions: uniq([v.crmOrderId, v.shipmentId, v.salesOrderNumber, ...v.lines.map((l) => l.sku)]),
    aliases: [...alias(v.shipmentId, 'order', v.crmOrderId, 'SCM shipment'), ...alias(v.shipmentId, 'shipment', v.shipmentId, 'SCM shipment'), ...alias(v.salesOrderNumber, 'order', v.crmOrderId, 'ERP sales order')],
    summary: `Shipment ${v.shipmentId} created in ${v.warehouseId}`, order: { orderId: v.crmOrderId, shipmentCreatedAt: at },
  }),
  'switchboard.scm.ShipmentDispatched': (v, at) => ({
    subject: order(v.crmOrderId), mentions: uniq([v.crmOrderId, v.shipmentId, v.salesOrderNumber, v.trackingNumber]),
    aliases: [...alias(v.shipmentId, 'order', v.crmOrderId, 'SCM shipment'), ...alias(v.shipmentId, 'shipment', v.shipmentId, 'SCM shipment'), ...alias(v.trackingNumber, 'order', v.crmOrderId, 'carrier tracking number')],
    summary: `Shipment ${v.shipmentId} dispatched with ${v.carrier}`, order: { orderId: v.crmOrderId, dispatchedAt: at },
  }),
  'switchboard.scm.ShipmentDelivered': (v, at) => ({
    subject: order(v.crmOrderId), mentions: uniq([v.crmOrderId, v.shipmentId, v.salesOrderNumber, v.trackingNumber]),
    aliases: [...alias(v.shipmentId, 'order', v.crmOrderId, 'SCM shipment'), ...alias(v.shipmentId, 'shipment', v.shipmentId, 'SCM shipment')],
    summary: `Shipment ${v.shipmentId} delivered`, order: { orderId: v.crmOrderId, deliveredAt: at },
  }),
};

/**
 * What the projection keeps of one decoded domain event: its subject, the ids it names, the
 * ids it links to a subject (an ERP sales order number to its CRM order), and what it changes
 * of the order, stock and credit figures the dashboard reads. `at` is the event's `ce_time`.
 *
 * @example
 * ```ts
 * const facts = eventFacts('switchboard.erp.SalesOrderConfirmed', confirmed, Date.parse(headers.ce_time));
 * facts.aliases; // [{ alias: 'SO-12', kind: 'order', subject: 'O-7', label: 'ERP sales order' }]
 * ```
 */
export function eventFacts<K extends EventFullName>(fullName: K, value: EventTypeMap[K], at: number): EventFacts {
  const extract = EXTRACTORS[fullName] as Extractor<K>;
  const facts = extract(value, at);
  // The subject's own id is an alias of itself, so a search finds it like any other id.
  return { ...facts, aliases: [{ alias: facts.subject.id, kind: facts.subject.kind, subject: facts.subject.id, label: SUBJECT_LABELS[facts.subject.kind] }, ...facts.aliases] };
}

/** What a subject's own id is called. */
export const SUBJECT_LABELS: Readonly<Record<SubjectKind, string>> = Object.freeze({
  order: 'CRM order',
  customer: 'CRM customer',
  sku: 'SKU',
  invoice: 'ERP invoice',
  shipment: 'SCM shipment',
  'purchase-order': 'ERP purchase order',
});
