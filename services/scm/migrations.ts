import { PLUMBING_MIGRATIONS, type Migration } from '../../hub/service/index.js';

/** The SCM's schema: warehouses, item master, consignees, stock, movements, shipments, expected receipts. */
export const SCM_MIGRATIONS: readonly Migration[] = Object.freeze([
  ...PLUMBING_MIGRATIONS,
  {
    version: 100,
    name: 'scm warehouses, items, consignees, stock, shipments, expected receipts',
    sql: `
    CREATE TABLE warehouses (id TEXT PRIMARY KEY, name TEXT NOT NULL, address TEXT, created_at INTEGER NOT NULL);
    CREATE TABLE items (
      sku TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      reorder_point INTEGER NOT NULL DEFAULT 0 CHECK (reorder_point >= 0),
      reorder_quantity INTEGER NOT NULL DEFAULT 0 CHECK (reorder_quantity >= 0),
      updated_at INTEGER NOT NULL
    );
    CREATE TABLE consignees (
      id TEXT PRIMARY KEY,
      crm_customer_id TEXT NOT NULL UNIQUE,
      name TEXT NOT NULL,
      address TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    );
    CREATE TABLE stock (
      sku TEXT NOT NULL REFERENCES items(sku),
      warehouse_id TEXT NOT NULL REFERENCES warehouses(id),
      on_hand INTEGER NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
      reserved INTEGER NOT NULL DEFAULT 0 CHECK (reserved >= 0 AND reserved <= on_hand),
      PRIMARY KEY (sku, warehouse_id)
    );
    -- A (sku, warehouse) listed here has raised ReorderPointReached and waits to climb above the point again.
    CREATE TABLE reorder_alerts (sku TEXT NOT NULL, warehouse_id TEXT NOT NULL, raised_at INTEGER NOT NULL, PRIMARY KEY (sku, warehouse_id));
    CREATE TABLE movements (
      id TEXT PRIMARY KEY,
      sku TEXT NOT NULL,
      warehouse_id TEXT NOT NULL,
      movement_type TEXT NOT NULL,
      quantity INTEGER NOT NULL,
      reference TEXT,
      moved_at INTEGER NOT NULL
    );
    CREATE INDEX movements_sku ON movements (sku, moved_at);
    CREATE TABLE shipments (
      id TEXT PRIMARY KEY,
      sales_order_number TEXT NOT NULL UNIQUE,
      crm_order_id TEXT NOT NULL,
      crm_customer_id TEXT NOT NULL,
      warehouse_id TEXT NOT NULL REFERENCES warehouses(id),
      ship_to TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('BACKORDERED', 'READY', 'DISPATCHED', 'DELIVERED', 'CANCELLED')),
      carrier TEXT,
      tracking_number TEXT,
      received_by TEXT,
      created_at INTEGER NOT NULL,
      dispatched_at INTEGER,
      delivered_at INTEGER
    );
    CREATE TABLE shipment_lines (
      shipment_id TEXT NOT NULL REFERENCES shipments(id),
      sku TEXT NOT NULL,
      quantity INTEGER NOT NULL CHECK (quantity > 0),
      reserved INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (shipment_id, sku)
    );
    CREATE TABLE expected_receipts (
      purchase_order_number TEXT PRIMARY KEY,
      sku TEXT NOT NULL,
      warehouse_id TEXT NOT NULL,
      quantity INTEGER NOT NULL CHECK (quantity > 0),
      status TEXT NOT NULL CHECK (status IN ('EXPECTED', 'RECEIVED')),
      expected_at INTEGER,
      created_at INTEGER NOT NULL,
      received_at INTEGER
    );`,
  },
  {
    // Arriving stock looks for backordered shipments of its warehouse: without it, every receipt read every shipment ever made.
    version: 101,
    name: 'scm backordered shipments by warehouse',
    sql: "CREATE INDEX shipments_backordered ON shipments (warehouse_id, created_at) WHERE status = 'BACKORDERED';",
  },
]);
