-- The "legacy warehouse": an existing database with no events, kept up to date by plain SQL
-- (its own application, a nightly import, a person with psql). switchboard cdc publishes the
-- row changes of stock_levels (topic cdc.legacy-warehouse.public.stock_levels), and the
-- connector legacy-stock-to-scm turns each change of a stock level into an SCM StockMoved,
-- which flows 7 and 8 book in the ERP and show in the CRM. See demo/legacy-warehouse/README.md.

CREATE TABLE IF NOT EXISTS stock_levels (
  sku          text        NOT NULL,
  warehouse_id text        NOT NULL,
  on_hand      integer     NOT NULL CHECK (on_hand >= 0),
  reserved     integer     NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  bin          text,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (sku, warehouse_id)
);

-- Updates and deletes carry the whole previous row, so that a change says how much the level
-- moved (by default PostgreSQL logs only the key of the old row).
ALTER TABLE stock_levels REPLICA IDENTITY FULL;
