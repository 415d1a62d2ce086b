import { PLUMBING_MIGRATIONS, type Migration } from '../../hub/service/index.js';

/** The ERP's schema: accounts, products, sales orders, invoices, payments, inventory ledger, purchase orders. */
export const ERP_MIGRATIONS: readonly Migration[] = Object.freeze([
  ...PLUMBING_MIGRATIONS,
  {
    version: 100,
    name: 'erp accounts, products, sales orders, invoices, inventory, purchase orders',
    sql: `
    CREATE TABLE accounts (
      account_number TEXT PRIMARY KEY,
      crm_customer_id TEXT NOT NULL UNIQUE,
      name TEXT NOT NULL,
      segment TEXT NOT NULL,
      credit_limit_minor INTEGER NOT NULL,
      balance_minor INTEGER NOT NULL DEFAULT 0,
      credit_status TEXT NOT NULL CHECK (credit_status IN ('OK', 'HOLD', 'BLOCKED')),
      currency TEXT NOT NULL,
      opened_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
    CREATE TABLE products (
      sku TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      description TEXT,
      unit_price_minor INTEGER NOT NULL CHECK (unit_price_minor >= 0),
      standard_cost_minor INTEGER CHECK (standard_cost_minor >= 0),
      currency TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
    CREATE TABLE sales_orders (
      number TEXT PRIMARY KEY,
      crm_order_id TEXT NOT NULL UNIQUE,
      crm_customer_id TEXT NOT NULL,
      account_number TEXT NOT NULL REFERENCES accounts(account_number),
      status TEXT NOT NULL CHECK (status IN ('CONFIRMED', 'REJECTED', 'CANCELLED', 'INVOICED')),
      lines TEXT NOT NULL,
      total_minor INTEGER NOT NULL,
      currency TEXT NOT NULL,
      ship_to TEXT NOT NULL,
      reject_reason TEXT,
      reject_message TEXT,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
    CREATE TABLE invoices (
      number TEXT PRIMARY KEY,
      sales_order_number TEXT NOT NULL UNIQUE REFERENCES sales_orders(number),
      account_number TEXT NOT NULL REFERENCES accounts(account_number),
      amount_minor INTEGER NOT NULL,
      paid_minor INTEGER NOT NULL DEFAULT 0,
      currency TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('ISSUED', 'PARTIALLY_PAID', 'PAID')),
      shipment_id TEXT,
      issued_at INTEGER NOT NULL,
      due_at INTEGER NOT NULL
    );
    CREATE TABLE payments (
      id TEXT PRIMARY KEY,
      invoice_number TEXT NOT NULL REFERENCES invoices(number),
      amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
      currency TEXT NOT NULL,
      received_at INTEGER NOT NULL
    );
    CREATE TABLE inventory (
      sku TEXT PRIMARY KEY REFERENCES products(sku),
      on_hand INTEGER NOT NULL DEFAULT 0,
      reserved INTEGER NOT NULL DEFAULT 0,
      value_minor INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE inventory_ledger (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      movement_id TEXT NOT NULL UNIQUE,
      sku TEXT NOT NULL REFERENCES products(sku),
      warehouse_id TEXT NOT NULL,
      movement_type TEXT NOT NULL,
      quantity INTEGER NOT NULL,
      unit_cost_minor INTEGER NOT NULL,
      value_change_minor INTEGER NOT NULL,
      reference TEXT,
      moved_at INTEGER NOT NULL,
      booked_at INTEGER NOT NULL
    );
    CREATE INDEX inventory_ledger_sku ON inventory_ledger (sku, id);
    CREATE TABLE purchase_orders (
      number TEXT PRIMARY KEY,
      supplier_id TEXT NOT NULL,
      warehouse_id TEXT NOT NULL,
      sku TEXT NOT NULL REFERENCES products(sku),
      quantity INTEGER NOT NULL CHECK (quantity > 0),
      unit_cost_minor INTEGER NOT NULL,
      currency TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('PLACED', 'RECEIVED')),
      reorder_reference TEXT,
      expected_at INTEGER,
      placed_at INTEGER NOT NULL,
      received_at INTEGER
    );`,
  },
  {
    // The credit check sums an account's confirmed orders for every new order: without it, that read
    // every sales order ever taken, and each order cost more than the last.
    version: 101,
    name: 'erp sales orders by account and status',
    sql: 'CREATE INDEX sales_orders_account_status ON sales_orders (account_number, status);',
  },
]);
