import type { CreditStatus, CreditStatusChanged, CustomerAccountOpened, CustomerSegment } from '../../catalogue/index.js';
import { ERRORS, NotFoundError, checkedMinor, money, nextSequence, type CommandContext, type Money, type ServiceStore } from '../../hub/service/index.js';
import { ERP_CURRENCY } from './currency.js';

/** Credit limit by customer segment, in minor units of the ERP currency. */
export const CREDIT_LIMITS: Readonly<Record<CustomerSegment, number>> = Object.freeze({
  SMB: 10_000_00,
  ENTERPRISE: 100_000_00,
  CONSUMER: 2_000_00,
});

/** Body of `PUT /accounts/:crmCustomerId` (flow 1, from the CRM's customer events). */
export interface AccountUpsert {
  name: string;
  segment: CustomerSegment;
}

/** An ERP customer account (debtor). */
export interface Account {
  accountNumber: string;
  crmCustomerId: string;
  name: string;
  segment: CustomerSegment;
  creditLimit: Money;
  balance: Money;
  creditStatus: CreditStatus;
  openedAt: number;
  updatedAt: number;
}

export interface AccountRow {
  account_number: string; crm_customer_id: string; name: string; segment: CustomerSegment; credit_limit_minor: number;
  balance_minor: number; credit_status: CreditStatus; currency: string; opened_at: number; updated_at: number;
}

function toAccount(row: AccountRow): Account {
  return {
    accountNumber: row.account_number, crmCustomerId: row.crm_customer_id, name: row.name, segment: row.segment,
    creditLimit: money(row.credit_limit_minor, row.currency), balance: money(row.balance_minor, row.currency),
    creditStatus: row.credit_status, openedAt: row.opened_at, updatedAt: row.updated_at,
  };
}

/** A balance above the limit puts the account on hold; BLOCKED is set by people, never lifted here. */
function statusFor(current: CreditStatus | null, balance: number, limit: number): CreditStatus {
  if (current === 'BLOCKED') return 'BLOCKED';
  return balance > limit ? 'HOLD' : 'OK';
}

/** ERP customer accounts: opened for CRM customers, credit limit by segment, open balance. */
export class Accounts {
  constructor(private readonly store: ServiceStore) {}

  list(): Account[] {
    return (this.store.db.prepare('SELECT * FROM accounts ORDER BY account_number').all() as AccountRow[]).map(toAccount);
  }

  /** By CRM customer id; not there is retriable (`_NOT_YET`) because the account may still be on its way (flow 1). */
  byCrmCustomer(crmCustomerId: string, field = 'crmCustomerId'): Account {
    const row = this.store.db.prepare('SELECT * FROM accounts WHERE crm_customer_id = ?').get(crmCustomerId) as AccountRow | undefined;
    if (!row) throw new NotFoundError(ERRORS.ERP_ACCOUNT_NOT_YET.code, `no ERP account for CRM customer ${crmCustomerId} (yet)`, { field });
    return toAccount(row);
  }

  byNumber(accountNumber: string): Account {
    const row = this.store.db.prepare('SELECT * FROM accounts WHERE account_number = ?').get(accountNumber) as AccountRow | undefined;
    if (!row) throw new NotFoundError(ERRORS.ERP_ACCOUNT_NOT_FOUND.code, `account ${accountNumber} does not exist`, { field: 'accountNumber' });
    return toAccount(row);
  }

  /** Opens the account (CustomerAccountOpened) or updates it; a segment change moves the limit (CreditStatusChanged). */
  upsert(crmCustomerId: string, input: AccountUpsert, command: CommandContext, now = Date.now()): { account: Account; created: boolean } {
    const existing = this.store.db.prepare('SELECT * FROM accounts WHERE crm_customer_id = ?').get(crmCustomerId) as AccountRow | undefined;
    const limit = CREDIT_LIMITS[input.segment];
    if (!existing) {
      const accountNumber = `A-${100000 + nextSequence(this.store.db, 'account')}`;
      this.store.db
        .prepare(`INSERT INTO accounts (account_number, crm_customer_id, name, segment, credit_limit_minor, balance_minor, credit_status, currency, opened_at, updated_at)
          VALUES (?, ?, ?, ?, ?, 0, 'OK', ?, ?, ?)`)
        .run(accountNumber, crmCustomerId, input.name, input.segment, limit, ERP_CURRENCY, now, now);
      const payload: CustomerAccountOpened = {
        crmCustomerId, accountNumber, name: input.name, creditLimit: money(limit, ERP_CURRENCY), creditStatus: 'OK', openedAt: now,
      };
      command.publish('switchboard.erp.CustomerAccountOpened', payload);
      return { account: this.byCrmCustomer(crmCustomerId), created: true };
    }
    this.store.db.prepare('UPDATE accounts SET name = ?, segment = ?, updated_at = ? WHERE account_number = ?').run(input.name, input.segment, now, existing.account_number);
    if (existing.credit_limit_minor !== limit) {
      this.store.db.prepare('UPDATE accounts SET credit_limit_minor = ? WHERE account_number = ?').run(limit, existing.account_number);
      this.recordCreditChange(existing.account_number, 0, `credit limit set for segment ${input.segment}`, command, now);
    }
    return { account: this.byCrmCustomer(crmCustomerId), created: false };
  }

  /**
   * Moves the open balance by `delta` minor units, recomputes the credit status and publishes
   * CreditStatusChanged (the CRM shows balance and status from it).
   */
  recordCreditChange(accountNumber: string, delta: number, reason: string, command: CommandContext, now = Date.now()): Account {
    const row = this.store.db.prepare('SELECT * FROM accounts WHERE account_number = ?').get(accountNumber) as AccountRow;
    const balance = checkedMinor(row.balance_minor + delta, `the balance of account ${accountNumber}`);
    const status = statusFor(row.credit_status, balance, row.credit_limit_minor);
    this.store.db.prepare('UPDATE accounts SET balance_minor = ?, credit_status = ?, updated_at = ? WHERE account_number = ?').run(balance, status, now, accountNumber);
    const payload: CreditStatusChanged = {
      crmCustomerId: row.crm_customer_id, accountNumber, creditStatus: status,
      previousCreditStatus: status === row.credit_status ? null : row.credit_status,
      creditLimit: money(row.credit_limit_minor, row.currency), balance: money(balance, row.currency), reason, changedAt: now,
    };
    command.publish('switchboard.erp.CreditStatusChanged', payload);
    return this.byNumber(accountNumber);
  }
}
