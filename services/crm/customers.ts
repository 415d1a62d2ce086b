import type { CustomerCreated, CustomerDeactivated, CustomerSegment, CustomerUpdated, CreditStatus } from '../../catalogue/index.js';
import {
  ERRORS, BusinessRuleError, ConflictError, NotFoundError, money, nextSequence, toAddress, toMinor,
  type Address, type AddressInput, type CommandContext, type Money, type ServiceStore,
} from '../../hub/service/index.js';

/** Body of `POST /customers`. */
export interface NewCustomer {
  name: string;
  email: string;
  phone?: string;
  segment: CustomerSegment;
  billingAddress: AddressInput;
  shippingAddress?: AddressInput;
}

/** Body of `PATCH /customers/:id`: any subset of the customer's fields. */
export type CustomerChanges = Partial<NewCustomer>;

/** Body of `PUT /customers/:id/erp-account` (flow 3, from the ERP's account events). */
export interface ErpAccountUpdate {
  accountNumber: string;
  creditStatus: CreditStatus;
  creditLimit?: Money;
  balance?: Money;
}

/** A customer as the API shows it. */
export interface Customer {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  segment: CustomerSegment;
  status: 'ACTIVE' | 'INACTIVE';
  billingAddress: Address;
  shippingAddress: Address | null;
  erpAccountNumber: string | null;
  creditStatus: CreditStatus | null;
  creditLimit: Money | null;
  balance: Money | null;
  createdAt: number;
  updatedAt: number;
}

interface CustomerRow {
  id: string; name: string; email: string; phone: string | null; segment: CustomerSegment; status: 'ACTIVE' | 'INACTIVE';
  billing_address: string; shipping_address: string | null; erp_account_number: string | null; credit_status: CreditStatus | null;
  credit_limit_minor: number | null; balance_minor: number | null; currency: string | null; created_at: number; updated_at: number;
}

function toCustomer(row: CustomerRow): Customer {
  const currency = row.currency ?? 'EUR';
  return {
    id: row.id, name: row.name, email: row.email, phone: row.phone, segment: row.segment, status: row.status,
    billingAddress: JSON.parse(row.billing_address) as Address,
    shippingAddress: row.shipping_address === null ? null : (JSON.parse(row.shipping_address) as Address),
    erpAccountNumber: row.erp_account_number, creditStatus: row.credit_status,
    creditLimit: row.credit_limit_minor === null ? null : money(row.credit_limit_minor, currency),
    balance: row.balance_minor === null ? null : money(row.balance_minor, currency),
    createdAt: row.created_at, updatedAt: row.updated_at,
  };
}

/** Customers of the CRM: create, change, deactivate, and the ERP account view. */
export class Customers {
  constructor(private readonly store: ServiceStore) {}

  /** The customer, or NotFoundError naming `field`. */
  get(id: string, field = 'id'): Customer {
    const row = this.store.db.prepare('SELECT * FROM customers WHERE id = ?').get(id) as CustomerRow | undefined;
    if (!row) throw new NotFoundError(ERRORS.CRM_CUSTOMER_NOT_FOUND.code, `customer ${id} does not exist`, { field });
    return toCustomer(row);
  }

  list(filter: { status?: string; segment?: string } = {}): Customer[] {
    const rows = this.store.db
      .prepare('SELECT * FROM customers WHERE (@status IS NULL OR status = @status) AND (@segment IS NULL OR segment = @segment) ORDER BY created_at, id')
      .all({ status: filter.status ?? null, segment: filter.segment ?? null }) as CustomerRow[];
    return rows.map(toCustomer);
  }

  create(input: NewCustomer, command: CommandContext, now = Date.now()): Customer {
    this.assertEmailFree(input.email, null);
    const id = `C-${nextSequence(this.store.db, 'customer')}`;
    const billing = toAddress(input.billingAddress);
    const shipping = input.shippingAddress ? toAddress(input.shippingAddress) : null;
    this.store.db
      .prepare(`INSERT INTO customers (id, name, email, phone, segment, status, billing_address, shipping_address, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, 'ACTIVE', ?, ?, ?, ?)`)
      .run(id, input.name, input.email, input.phone ?? null, input.segment, JSON.stringify(billing), shipping && JSON.stringify(shipping), now, now);
    const payload: CustomerCreated = {
      customerId: id, name: input.name, email: input.email, phone: input.phone ?? null, segment: input.segment,
      billingAddress: billing, shippingAddress: shipping, createdAt: now,
    };
    command.publish('switchboard.crm.CustomerCreated', payload);
    return this.get(id);
  }

  update(id: string, changes: CustomerChanges, command: CommandContext, now = Date.now()): Customer {
    const current = this.get(id);
    if (current.status === 'INACTIVE') throw new ConflictError(ERRORS.CRM_CUSTOMER_NOT_UPDATABLE.code, `customer ${id} is deactivated`, { field: 'id' });
    if (changes.email !== undefined) this.assertEmailFree(changes.email, id);
    const next = {
      name: changes.name ?? current.name,
      email: changes.email ?? current.email,
      phone: changes.phone ?? current.phone,
      segment: changes.segment ?? current.segment,
      billingAddress: changes.billingAddress ? toAddress(changes.billingAddress) : current.billingAddress,
      shippingAddress: changes.shippingAddress ? toAddress(changes.shippingAddress) : current.shippingAddress,
    };
    this.store.db
      .prepare(`UPDATE customers SET name = ?, email = ?, phone = ?, segment = ?, billing_address = ?, shipping_address = ?, updated_at = ? WHERE id = ?`)
      .run(next.name, next.email, next.phone, next.segment, JSON.stringify(next.billingAddress), next.shippingAddress && JSON.stringify(next.shippingAddress), now, id);
    const payload: CustomerUpdated = { customerId: id, ...next, updatedAt: now };
    command.publish('switchboard.crm.CustomerUpdated', payload);
    return this.get(id);
  }

  deactivate(id: string, reason: string | undefined, command: CommandContext, now = Date.now()): Customer {
    const current = this.get(id);
    if (current.status === 'INACTIVE') return current;
    const open = this.store.db.prepare("SELECT count(*) AS n FROM orders WHERE customer_id = ? AND status IN ('PLACED', 'CONFIRMED')").get(id) as { n: number };
    if (open.n > 0) {
      throw new BusinessRuleError(ERRORS.CRM_CUSTOMER_HAS_OPEN_ORDERS.code, `customer ${id} has ${open.n} open order(s); cancel or complete them first`, { field: 'id' });
    }
    this.store.db.prepare("UPDATE customers SET status = 'INACTIVE', updated_at = ? WHERE id = ?").run(now, id);
    const payload: CustomerDeactivated = { customerId: id, reason: reason ?? null, deactivatedAt: now };
    command.publish('switchboard.crm.CustomerDeactivated', payload);
    return this.get(id);
  }

  /** Flow 3: the ERP account number, credit status, limit and balance. Applied as the latest known state; no event. */
  setErpAccount(id: string, update: ErpAccountUpdate, now = Date.now()): Customer {
    const current = this.get(id);
    const currency = update.balance?.currency ?? update.creditLimit?.currency ?? 'EUR';
    this.store.db
      .prepare(`UPDATE customers SET erp_account_number = ?, credit_status = ?, credit_limit_minor = ?, balance_minor = ?, currency = ?, updated_at = ? WHERE id = ?`)
      .run(
        update.accountNumber, update.creditStatus,
        update.creditLimit ? toMinor(update.creditLimit.amount, 'creditLimit.amount') : current.creditLimit && toMinor(current.creditLimit.amount),
        update.balance ? toMinor(update.balance.amount, 'balance.amount') : current.balance ? toMinor(current.balance.amount) : 0,
        currency, now, id,
      );
    return this.get(id);
  }

  private assertEmailFree(email: string, exceptId: string | null): void {
    const row = this.store.db.prepare('SELECT id FROM customers WHERE email = ? AND id IS NOT ?').get(email, exceptId) as { id: string } | undefined;
    if (row) throw new ConflictError(ERRORS.CRM_CUSTOMER_EMAIL_TAKEN.code, `email ${email} belongs to customer ${row.id}`, { field: 'email' });
  }
}

