import type { InvoiceIssued, PaymentReceived } from '../../catalogue/index.js';
import {
  ERRORS, BusinessRuleError, ConflictError, NotFoundError, money, nextSequence, toMinor, type CommandContext, type Money, type ServiceStore,
} from '../../hub/service/index.js';
import type { Accounts } from './accounts.js';
import type { SalesOrders } from './sales-orders.js';

export type InvoiceStatus = 'ISSUED' | 'PARTIALLY_PAID' | 'PAID';

/** Payment terms: net 30 days. */
const PAYMENT_TERMS_MS = 30 * 24 * 60 * 60 * 1000;

/** An invoice as the API shows it. */
export interface Invoice {
  invoiceNumber: string;
  salesOrderNumber: string;
  crmOrderId: string;
  accountNumber: string;
  amount: Money;
  paid: Money;
  outstanding: Money;
  status: InvoiceStatus;
  shipmentId: string | null;
  issuedAt: number;
  dueAt: number;
}

/** A recorded payment. */
export interface Payment {
  paymentId: string;
  invoiceNumber: string;
  amount: Money;
  invoiceStatus: InvoiceStatus;
  invoiceOutstanding: Money;
  receivedAt: number;
}

interface InvoiceRow {
  number: string; sales_order_number: string; crm_order_id: string; crm_customer_id: string; account_number: string; amount_minor: number;
  paid_minor: number; currency: string; status: InvoiceStatus; shipment_id: string | null; issued_at: number; due_at: number;
}

const SELECT_INVOICE = `SELECT i.*, s.crm_order_id, s.crm_customer_id FROM invoices i JOIN sales_orders s ON s.number = i.sales_order_number`;

function toInvoice(row: InvoiceRow): Invoice {
  return {
    invoiceNumber: row.number, salesOrderNumber: row.sales_order_number, crmOrderId: row.crm_order_id, accountNumber: row.account_number,
    amount: money(row.amount_minor, row.currency), paid: money(row.paid_minor, row.currency),
    outstanding: money(row.amount_minor - row.paid_minor, row.currency), status: row.status, shipmentId: row.shipment_id,
    issuedAt: row.issued_at, dueAt: row.due_at,
  };
}

/** Invoices (issued on dispatch, flow 9) and the payments that settle them. */
export class Invoices {
  constructor(private readonly store: ServiceStore, private readonly accounts: Accounts, private readonly salesOrders: SalesOrders) {}

  list(filter: { salesOrderNumber?: string; accountNumber?: string; status?: string } = {}): Invoice[] {
    const rows = this.store.db
      .prepare(`${SELECT_INVOICE} WHERE (@so IS NULL OR i.sales_order_number = @so) AND (@account IS NULL OR i.account_number = @account)
        AND (@status IS NULL OR i.status = @status) ORDER BY i.issued_at, i.number`)
      .all({ so: filter.salesOrderNumber ?? null, account: filter.accountNumber ?? null, status: filter.status ?? null }) as InvoiceRow[];
    return rows.map(toInvoice);
  }

  get(number: string, field = 'invoiceNumber'): Invoice {
    return toInvoice(this.row(number, field));
  }

  /**
   * Issues the invoice for a dispatched sales order: InvoiceIssued and CreditStatusChanged (the
   * balance grows). Goods that left are invoiced even when the order was cancelled meanwhile.
   * A repeat for the same sales order returns the existing invoice.
   */
  issue(salesOrderNumber: string, shipmentId: string | undefined, command: CommandContext, now = Date.now()): { invoice: Invoice; created: boolean } {
    const existing = this.store.db.prepare(`${SELECT_INVOICE} WHERE i.sales_order_number = ?`).get(salesOrderNumber) as InvoiceRow | undefined;
    if (existing) return { invoice: toInvoice(existing), created: false };
    const order = this.salesOrders.row(salesOrderNumber, 'salesOrderNumber', true);
    if (order.status === 'REJECTED') {
      throw new ConflictError(ERRORS.ERP_SALES_ORDER_REJECTED.code, `sales order ${salesOrderNumber} was rejected and cannot be invoiced`, { field: 'salesOrderNumber' });
    }
    const number = `INV-${nextSequence(this.store.db, 'invoice')}`;
    const dueAt = now + PAYMENT_TERMS_MS;
    this.store.db
      .prepare(`INSERT INTO invoices (number, sales_order_number, account_number, amount_minor, currency, status, shipment_id, issued_at, due_at)
        VALUES (?, ?, ?, ?, ?, 'ISSUED', ?, ?, ?)`)
      .run(number, salesOrderNumber, order.account_number, order.total_minor, order.currency, shipmentId ?? null, now, dueAt);
    this.store.db.prepare("UPDATE sales_orders SET status = 'INVOICED', updated_at = ? WHERE number = ?").run(now, salesOrderNumber);
    const orderFlow = command.correlatedTo(order.crm_order_id);
    const account = this.accounts.recordCreditChange(order.account_number, order.total_minor, `invoice ${number} issued`, orderFlow, now);
    const payload: InvoiceIssued = {
      invoiceNumber: number, salesOrderNumber, crmOrderId: order.crm_order_id, crmCustomerId: order.crm_customer_id,
      erpAccountNumber: order.account_number, amount: money(order.total_minor, order.currency), accountBalance: account.balance, issuedAt: now, dueAt,
    };
    orderFlow.publish('switchboard.erp.InvoiceIssued', payload);
    return { invoice: this.get(number), created: true };
  }

  /** Records a payment against an invoice: PaymentReceived and CreditStatusChanged (the balance falls). */
  pay(invoiceNumber: string, amount: Money, command: CommandContext, now = Date.now()): Payment {
    const invoice = this.row(invoiceNumber, 'invoiceNumber');
    if (amount.currency !== invoice.currency) {
      throw new BusinessRuleError(ERRORS.ERP_PAYMENT_CURRENCY_MISMATCH.code, `invoice ${invoiceNumber} is in ${invoice.currency}, the payment in ${amount.currency}`, { field: 'amount.currency' });
    }
    const paid = toMinor(amount.amount, 'amount.amount');
    if (paid <= 0) throw new BusinessRuleError(ERRORS.ERP_PAYMENT_NOT_POSITIVE.code, 'a payment must be greater than zero', { field: 'amount.amount' });
    const outstanding = invoice.amount_minor - invoice.paid_minor;
    if (paid > outstanding) {
      throw new BusinessRuleError(ERRORS.ERP_PAYMENT_EXCEEDS_OUTSTANDING.code, `invoice ${invoiceNumber} has ${money(outstanding, invoice.currency).amount} ${invoice.currency} outstanding`, { field: 'amount.amount' });
    }
    const paymentId = `PAY-${nextSequence(this.store.db, 'payment')}`;
    const remaining = outstanding - paid;
    const status: InvoiceStatus = remaining === 0 ? 'PAID' : 'PARTIALLY_PAID';
    this.store.db.prepare('INSERT INTO payments (id, invoice_number, amount_minor, currency, received_at) VALUES (?, ?, ?, ?, ?)').run(paymentId, invoiceNumber, paid, amount.currency, now);
    this.store.db.prepare('UPDATE invoices SET paid_minor = paid_minor + ?, status = ? WHERE number = ?').run(paid, status, invoiceNumber);
    const orderFlow = command.correlatedTo(invoice.crm_order_id);
    const account = this.accounts.recordCreditChange(invoice.account_number, -paid, `payment ${paymentId} received`, orderFlow, now);
    const payload: PaymentReceived = {
      paymentId, invoiceNumber, salesOrderNumber: invoice.sales_order_number, crmOrderId: invoice.crm_order_id, crmCustomerId: invoice.crm_customer_id,
      amount: money(paid, invoice.currency), invoiceOutstanding: money(remaining, invoice.currency), invoiceSettled: remaining === 0,
      accountBalance: account.balance, receivedAt: now,
    };
    orderFlow.publish('switchboard.erp.PaymentReceived', payload);
    return { paymentId, invoiceNumber, amount: money(paid, invoice.currency), invoiceStatus: status, invoiceOutstanding: money(remaining, invoice.currency), receivedAt: now };
  }

  private row(number: string, field: string): InvoiceRow {
    const row = this.store.db.prepare(`${SELECT_INVOICE} WHERE i.number = ?`).get(number) as InvoiceRow | undefined;
    if (!row) throw new NotFoundError(ERRORS.ERP_INVOICE_NOT_FOUND.code, `invoice ${number} does not exist`, { field });
    return row;
  }
}
