import type { StockMovementType } from '../../catalogue/index.js';
import { checkedMinor, money, toMinor, type Money, type ServiceStore } from '../../hub/service/index.js';
import type { Products } from './products.js';

/** Body of `POST /inventory/movements` (flow 7, from the SCM's StockMoved). */
export interface StockMovement {
  movementId: string;
  sku: string;
  warehouseId: string;
  movementType: StockMovementType;
  /** As in StockMoved: signed change of the counter the movement type affects. */
  quantity: number;
  reference?: string;
  movedAt?: number;
}

/** A SKU's inventory position, valued at standard cost. */
export interface InventoryPosition {
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
  standardCost: Money | null;
  value: Money;
  /** The latest {@link POSITION_LEDGER_LIMIT} movements of the SKU, oldest first. */
  ledger: { movementId: string; warehouseId: string; movementType: string; quantity: number; valueChange: Money; reference: string | null; movedAt: number }[];
}

/**
 * Movements a position lists. Why a bound: booking a movement answers with the position (and
 * stores that answer under its idempotency key), so listing the whole ledger made every booking
 * of a SKU cost more than the one before.
 */
export const POSITION_LEDGER_LIMIT = 50;

/** How a movement changes on-hand and reserved units (StockMoved's quantity is signed). */
function effect(type: StockMovementType, quantity: number): { onHand: number; reserved: number } {
  switch (type) {
    case 'RECEIPT': return { onHand: quantity, reserved: 0 };
    case 'ADJUSTMENT': return { onHand: quantity, reserved: 0 };
    case 'RESERVATION': return { onHand: 0, reserved: quantity };
    case 'RELEASE': return { onHand: 0, reserved: quantity };
    // Goods leaving reduce on hand and the reservation they were picked from by the same amount.
    case 'ISSUE': return { onHand: quantity, reserved: quantity };
  }
}

/** The inventory ledger: every SCM stock movement booked once, valued at the product's standard cost. */
export class Inventory {
  constructor(private readonly store: ServiceStore, private readonly products: Products) {}

  /** Books a movement; a movement id seen before is not booked again. Returns the position after it. */
  book(movement: StockMovement, now = Date.now()): { position: InventoryPosition; booked: boolean } {
    const product = this.products.get(movement.sku, 'sku', true);
    const seen = this.store.db.prepare('SELECT 1 FROM inventory_ledger WHERE movement_id = ?').get(movement.movementId);
    if (seen) return { position: this.position(movement.sku), booked: false };
    const unitCost = product.standardCost ? toMinor(product.standardCost.amount) : 0;
    const change = effect(movement.movementType, movement.quantity);
    const current = this.store.db.prepare('SELECT value_minor FROM inventory WHERE sku = ?').get(movement.sku) as { value_minor: number } | undefined;
    const valueChange = checkedMinor(change.onHand * unitCost, `the value of movement ${movement.movementId}`, 'quantity');
    checkedMinor((current?.value_minor ?? 0) + valueChange, `the stock value of ${movement.sku}`, 'quantity');
    this.store.db
      .prepare(`INSERT INTO inventory_ledger (movement_id, sku, warehouse_id, movement_type, quantity, unit_cost_minor, value_change_minor, reference, moved_at, booked_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(movement.movementId, movement.sku, movement.warehouseId, movement.movementType, movement.quantity, unitCost, valueChange, movement.reference ?? null, movement.movedAt ?? now, now);
    this.store.db
      .prepare(`INSERT INTO inventory (sku, on_hand, reserved, value_minor) VALUES (?, ?, ?, ?)
        ON CONFLICT(sku) DO UPDATE SET on_hand = on_hand + excluded.on_hand, reserved = reserved + excluded.reserved, value_minor = value_minor + excluded.value_minor`)
      .run(movement.sku, change.onHand, change.reserved, valueChange);
    if (movement.movementType === 'RECEIPT' && movement.reference) {
      this.store.db.prepare("UPDATE purchase_orders SET status = 'RECEIVED', received_at = ? WHERE number = ? AND status = 'PLACED'").run(now, movement.reference);
    }
    return { position: this.position(movement.sku), booked: true };
  }

  position(sku: string): InventoryPosition {
    const product = this.products.get(sku);
    const row = (this.store.db.prepare('SELECT on_hand, reserved, value_minor FROM inventory WHERE sku = ?').get(sku) as
      { on_hand: number; reserved: number; value_minor: number } | undefined) ?? { on_hand: 0, reserved: 0, value_minor: 0 };
    const ledger = this.store.db
      .prepare('SELECT movement_id, warehouse_id, movement_type, quantity, value_change_minor, reference, moved_at FROM inventory_ledger WHERE sku = ? ORDER BY id DESC LIMIT ?')
      .all(sku, POSITION_LEDGER_LIMIT)
      .reverse() as { movement_id: string; warehouse_id: string; movement_type: string; quantity: number; value_change_minor: number; reference: string | null; moved_at: number }[];
    const currency = product.unitPrice.currency;
    return {
      sku, onHand: row.on_hand, reserved: row.reserved, available: row.on_hand - row.reserved, standardCost: product.standardCost,
      value: money(row.value_minor, currency),
      ledger: ledger.map((entry) => ({
        movementId: entry.movement_id, warehouseId: entry.warehouse_id, movementType: entry.movement_type, quantity: entry.quantity,
        valueChange: money(entry.value_change_minor, currency), reference: entry.reference, movedAt: entry.moved_at,
      })),
    };
  }
}
