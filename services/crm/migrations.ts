import { PLUMBING_MIGRATIONS, type Migration } from '../../hub/service/index.js';

/** The CRM's schema: customers, orders with their timeline, and the product catalogue. */
export const CRM_MIGRATIONS: readonly Migration[] = Object.freeze([
  ...PLUMBING_MIGRATIONS,
  {
    version: 100,
    name: 'crm customers, orders, products',
    sql: `
    CREATE TABLE customers (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      email TEXT NOT NULL UNIQUE COLLATE NOCASE,
      phone TEXT,
      segment TEXT NOT NULL CHECK (segment IN ('SMB', 'ENTERPRISE', 'CONSUMER')),
      status TEXT NOT NULL CHECK (status IN ('ACTIVE', 'INACTIVE')),
      billing_address TEXT NOT NULL,
      shipping_address TEXT,
      erp_account_number TEXT,
      credit_status TEXT,
      credit_limit_minor INTEGER,
      balance_minor INTEGER,
      currency TEXT,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
    CREATE TABLE orders (
      id TEXT PRIMARY KEY,
      customer_id TEXT NOT NULL REFERENCES customers(id),
      status TEXT NOT NULL,
      lines TEXT NOT NULL,
      ship_to TEXT NOT NULL,
      erp_order_number TEXT,
      rejection_reason TEXT,
      rejection_message TEXT,
      carrier TEXT,
      tracking_number TEXT,
      invoice_number TEXT,
      invoice_status TEXT,
      invoice_amount_minor INTEGER,
      invoice_outstanding_minor INTEGER,
      currency TEXT,
      placed_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
    CREATE INDEX orders_customer ON orders (customer_id);
    CREATE TABLE order_timeline (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      order_id TEXT NOT NULL REFERENCES orders(id),
      status TEXT NOT NULL,
      note TEXT,
      at INTEGER NOT NULL
    );
    CREATE INDEX order_timeline_order ON order_timeline (order_id, id);
    CREATE TABLE products (
      sku TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      unit_price_minor INTEGER,
      currency TEXT,
      available INTEGER,
      updated_at INTEGER NOT NULL
    );`,
  },
]);
