/**
 * The `stock_levels` table of the legacy warehouse (schema.sql) as PostgreSQL describes it to
 * `switchboard cdc`: its columns with their type OIDs, and its primary key. Tests publish change
 * events with this shape without running the database.
 */
export const STOCK_LEVELS_TYPE = 'switchboard.cdc.legacy_warehouse.public.stock_levels' as const;

const TEXT = 25;
const INT4 = 23;
const TIMESTAMPTZ = 1184;

/** Columns in table order, as pg_attribute lists them. */
export const STOCK_LEVELS_COLUMNS = Object.freeze([
  { name: 'sku', typeOid: TEXT },
  { name: 'warehouse_id', typeOid: TEXT },
  { name: 'on_hand', typeOid: INT4 },
  { name: 'reserved', typeOid: INT4 },
  { name: 'bin', typeOid: TEXT },
  { name: 'updated_at', typeOid: TIMESTAMPTZ },
]);

/** The primary key, in key order. */
export const STOCK_LEVELS_KEY = Object.freeze(['sku', 'warehouse_id']);

/** A row of the table as a change event carries it. */
export function stockLevel(sku: string, onHand: number, reserved = 0, warehouseId = 'WH-LEGACY'): Record<string, unknown> {
  return { sku, warehouse_id: warehouseId, on_hand: onHand, reserved, bin: 'A-01-1', updated_at: Date.parse('2026-01-01T12:00:00Z') };
}
