import type { Line as EventLine, RejectionReason, SalesOrderCancelled, SalesOrderConfirmed, SalesOrderRejected } from '../../catalogue/index.js';
import {
  ERRORS, ConflictError, MAX_AMOUNT_MINOR, NotFoundError, fromMinor, money, nextSequence, toAddress, toMinor,
  type Address, type AddressInput, type CommandContext, type Line, type Money, type ServiceStore,
} from '../../hub/service/index.js';
import type { Accounts } from './accounts.js';
import { ERP_CURRENCY } from './currency.js';
import type { Products } from './products.js';

export type SalesOrderStatus = 'CONFIRMED' | 'REJECTED' | 'CANCELLED' | 'INVOICED';

/** Body of `POST /sales-orders` (flow 4, from the CRM's OrderPlaced). */
export interface NewSalesOrder {
  crmOrderId: string;
  crmCustomerId: string;
  lines: Line[];
  shipTo: AddressInput;
}

/** A priced sales order line. */
export interface PricedLine {
  sku: string;
  quantity: number;
  unitPrice: Money;
  lineTotal: Money;
}

/** A sales order as the API shows it. */
export interface SalesOrder {
  salesOrderNumber: string;
  crmOrderId: string;
  crmCustomerId: string;
  accountNumber: string;
  status: SalesOrderStatus;
  lines: (Line | PricedLine)[];
  total: Money;
  shipTo: Address;
  rejection: { reasonCode: RejectionReason; message: string } | null;
  createdAt: number;
  updatedAt: number;
}

export interface SalesOrderRow {
  number: string; crm_order_id: string; crm_customer_id: string; account_number: string; status: SalesOrderStatus;
  lines: string; total_minor: number; currency: string; ship_to: string; reject_reason: RejectionReason | null;
  reject_message: string | null; created_at: number; updated_at: number;
}

function toSalesOrder(row: SalesOrderRow): SalesOrder {
  return {
    salesOrderNumber: row.number, crmOrderId: row.crm_order_id, crmCustomerId: row.crm_customer_id, accountNumber: row.account_number,
    status: row.status, lines: JSON.parse(row.lines) as PricedLine[], total: money(row.total_minor, row.currency),
    shipTo: JSON.parse(row.ship_to) as Address,
    rejection: row.reject_reason === null ? null : { reasonCode: row.reject_reason, message: row.reject_message ?? '' },
    createdAt: row.created_at, updatedAt: row.updated_at,
  };
}

/**
 * Sales orders: created from CRM orders, priced from the product master, credit-checked
 * (account on hold → CREDIT_HOLD; open balance plus open orders plus this order above the
 * limit → CREDIT_LIMIT_EXCEEDED), unknown SKUs rejected (UNKNOWN_PRODUCT).
 */
export class SalesOrders {
  constructor(private readonly store: ServiceStore, private readonly accounts: Accounts, private readonly products: Products) {}

  list(filter: { crmOrderId?: string; status?: string; accountNumber?: string } = {}): SalesOrder[] {
    const rows = this.store.db
      .prepare(`SELECT * FROM sales_orders WHERE (@crmOrderId IS NULL OR crm_order_id = @crmOrderId)
        AND (@status IS NULL OR status = @status) AND (@accountNumber IS NULL OR account_number = @accountNumber) ORDER BY created_at, number`)
      .all({ crmOrderId: filter.crmOrderId ?? null, status: filter.status ?? null, accountNumber: filter.accountNumber ?? null }) as SalesOrderRow[];
    return rows.map(toSalesOrder);
  }

  /**
   * The sales order `number`. `retriable` when the number comes from another flow and the
   * order may still be on its way: a miss is then ERP_SALES_ORDER_NOT_YET, not _NOT_FOUND.
   */
  row(number: string, field = 'number', retriable = false): SalesOrderRow {
    const row = this.store.db.prepare('SELECT * FROM sales_orders WHERE number = ?').get(number) as SalesOrderRow | undefined;
    if (!row) {
      const code = retriable ? ERRORS.ERP_SALES_ORDER_NOT_YET.code : ERRORS.ERP_SALES_ORDER_NOT_FOUND.code;
      throw new NotFoundError(code, `sales order ${number} does not exist`, { field });
    }
    return row;
  }

  get(number: string): SalesOrder {
    return toSalesOrder(this.row(number));
  }

  /** Creates the sales order, confirmed or rejected. A repeat for the same CRM order returns the existing one. */
  create(input: NewSalesOrder, command: CommandContext, now = Date.now()): { order: SalesOrder; created: boolean } {
    const existing = this.store.db.prepare('SELECT * FROM sales_orders WHERE crm_order_id = ?').get(input.crmOrderId) as SalesOrderRow | undefined;
    if (existing) return { order: toSalesOrder(existing), created: false };
    const account = this.accounts.byCrmCustomer(input.crmCustomerId);
    const number = `SO-${nextSequence(this.store.db, 'sales-order')}`;
    const shipTo = toAddress(input.shipTo);

    const unknown = input.lines.filter((line) => !this.products.find(line.sku)).map((line) => line.sku);
    const tooLarge = unknown.length === 0 && this.unpricedTotal(input.lines) > MAX_AMOUNT_MINOR;
    const priced = unknown.length > 0 || tooLarge ? [] : input.lines.map((line) => this.price(line));
    const totalMinor = priced.reduce((sum, line) => sum + toMinor(line.lineTotal.amount), 0);
    const rejection = unknown.length > 0
      ? { reasonCode: 'UNKNOWN_PRODUCT' as const, message: `unknown SKU: ${unknown.join(', ')}` }
      : tooLarge
        ? { reasonCode: 'INVALID_ORDER' as const, message: `the order total would exceed ${fromMinor(MAX_AMOUNT_MINOR)} ${ERP_CURRENCY}, the largest amount the ERP holds` }
        : this.creditCheck(account.accountNumber, account.creditStatus, toMinor(account.balance.amount), toMinor(account.creditLimit.amount), totalMinor);

    this.store.db
      .prepare(`INSERT INTO sales_orders (number, crm_order_id, crm_customer_id, account_number, status, lines, total_minor, currency, ship_to, reject_reason, reject_message, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(number, input.crmOrderId, input.crmCustomerId, account.accountNumber, rejection ? 'REJECTED' : 'CONFIRMED',
        JSON.stringify(priced.length > 0 ? priced : input.lines), totalMinor, ERP_CURRENCY, JSON.stringify(shipTo),
        rejection?.reasonCode ?? null, rejection?.message ?? null, now, now);

    if (rejection) {
      const payload: SalesOrderRejected = {
        crmOrderId: input.crmOrderId, crmCustomerId: input.crmCustomerId, salesOrderNumber: number, reasonCode: rejection.reasonCode, message: rejection.message, rejectedAt: now,
      };
      command.publish('switchboard.erp.SalesOrderRejected', payload);
    } else {
      const payload: SalesOrderConfirmed = {
        salesOrderNumber: number, crmOrderId: input.crmOrderId, crmCustomerId: input.crmCustomerId, erpAccountNumber: account.accountNumber,
        lines: priced satisfies EventLine[], total: money(totalMinor, ERP_CURRENCY), shipTo, confirmedAt: now,
      };
      command.publish('switchboard.erp.SalesOrderConfirmed', payload);
    }
    return { order: this.get(number), created: true };
  }

  /** Cancels a confirmed order (SalesOrderCancelled). Already cancelled or rejected: nothing to do. Invoiced: 409. */
  cancel(number: string, reason: string | undefined, command: CommandContext, now = Date.now()): SalesOrder {
    const row = this.row(number, 'number', true);
    if (row.status === 'CANCELLED' || row.status === 'REJECTED') return toSalesOrder(row);
    if (row.status === 'INVOICED') {
      throw new ConflictError(ERRORS.ERP_SALES_ORDER_NOT_CANCELLABLE.code, `sales order ${number} is already invoiced; issue a credit note instead`, { field: 'number' });
    }
    this.store.db.prepare("UPDATE sales_orders SET status = 'CANCELLED', updated_at = ? WHERE number = ?").run(now, number);
    const payload: SalesOrderCancelled = { salesOrderNumber: number, crmOrderId: row.crm_order_id, reason: reason ?? null, cancelledAt: now };
    command.publish('switchboard.erp.SalesOrderCancelled', payload);
    return this.get(number);
  }

  /** The sales order of a CRM order; not there is retriable (`_NOT_YET`) because OrderPlaced may still be on its way. */
  numberForCrmOrder(crmOrderId: string): string {
    const row = this.store.db.prepare('SELECT number FROM sales_orders WHERE crm_order_id = ?').get(crmOrderId) as { number: string } | undefined;
    if (!row) throw new NotFoundError(ERRORS.ERP_SALES_ORDER_NOT_YET.code, `no sales order for CRM order ${crmOrderId} (yet)`, { field: 'crmOrderId' });
    return row.number;
  }

  /**
   * The order's total in minor units as a plain number, to compare with MAX_AMOUNT_MINOR before
   * pricing: a total beyond it cannot be held exactly, so the order is rejected, not stored.
   */
  private unpricedTotal(lines: readonly Line[]): number {
    return lines.reduce((sum, line) => sum + toMinor(this.products.get(line.sku).unitPrice.amount) * line.quantity, 0);
  }

  private price(line: Line): PricedLine {
    const product = this.products.get(line.sku);
    const unit = toMinor(product.unitPrice.amount);
    return { sku: line.sku, quantity: line.quantity, unitPrice: product.unitPrice, lineTotal: money(unit * line.quantity, product.unitPrice.currency) };
  }

  private creditCheck(accountNumber: string, status: string, balance: number, limit: number, orderTotal: number): { reasonCode: RejectionReason; message: string } | null {
    if (status !== 'OK') return { reasonCode: 'CREDIT_HOLD', message: `account ${accountNumber} is on ${status}` };
    // Exposure counts what is owed plus what is confirmed but not yet invoiced.
    const open = this.store.db.prepare("SELECT coalesce(sum(total_minor), 0) AS n FROM sales_orders WHERE account_number = ? AND status = 'CONFIRMED'").get(accountNumber) as { n: number };
    const exposure = balance + open.n + orderTotal;
    if (exposure > limit) {
      return {
        reasonCode: 'CREDIT_LIMIT_EXCEEDED',
        message: `order ${money(orderTotal, ERP_CURRENCY).amount} would take exposure to ${money(exposure, ERP_CURRENCY).amount} ${ERP_CURRENCY}, above the limit of ${money(limit, ERP_CURRENCY).amount}`,
      };
    }
    return null;
  }
}
