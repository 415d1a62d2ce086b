import type { ReorderPointReached, StockMovementType, StockMoved, StockShortage } from '../../catalogue/index.js';
import { BusinessRuleError, ERRORS, nextSequence, type CommandContext, type ServiceStore } from '../../hub/service/index.js';
import type { MasterData } from './master-data.js';

/** The largest count StockMoved's `int` fields carry. */
const AVRO_INT_MAX = 2_147_483_647;

/** Stock of a SKU across warehouses. */
export interface StockLevel {
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
  byWarehouse: { warehouseId: string; onHand: number; reserved: number; available: number }[];
}

interface StockRow { sku: string; warehouse_id: string; on_hand: number; reserved: number }

/** How a movement changes on-hand and reserved units; `quantity` is signed as in StockMoved. */
function effect(type: StockMovementType, quantity: number): { onHand: number; reserved: number } {
  switch (type) {
    case 'RECEIPT':
    case 'ADJUSTMENT': return { onHand: quantity, reserved: 0 };
    case 'RESERVATION':
    case 'RELEASE': return { onHand: 0, reserved: quantity };
    case 'ISSUE': return { onHand: quantity, reserved: quantity };
  }
}

/**
 * Stock on hand and reserved per SKU and warehouse. Every change is a movement that publishes
 * StockMoved; a warehouse's available stock falling to the item's reorder point publishes
 * ReorderPointReached once, until it climbs above the point again.
 */
export class Stock {
  constructor(private readonly store: ServiceStore, private readonly master: MasterData) {}

  level(sku: string): StockLevel {
    const rows = this.store.db.prepare('SELECT * FROM stock WHERE sku = ? ORDER BY warehouse_id').all(sku) as StockRow[];
    if (rows.length === 0) this.master.item(sku);
    const byWarehouse = rows.map((row) => ({ warehouseId: row.warehouse_id, onHand: row.on_hand, reserved: row.reserved, available: row.on_hand - row.reserved }));
    const onHand = byWarehouse.reduce((sum, w) => sum + w.onHand, 0);
    const reserved = byWarehouse.reduce((sum, w) => sum + w.reserved, 0);
    return { sku, onHand, reserved, available: onHand - reserved, byWarehouse };
  }

  /** Units available to promise in one warehouse. */
  available(sku: string, warehouseId: string): number {
    const row = this.store.db.prepare('SELECT on_hand - reserved AS n FROM stock WHERE sku = ? AND warehouse_id = ?').get(sku, warehouseId) as { n: number } | undefined;
    return row?.n ?? 0;
  }

  /** Records one movement, publishes StockMoved and checks the reorder point. */
  move(sku: string, warehouseId: string, type: StockMovementType, quantity: number, reference: string | null, command: CommandContext, now = Date.now()): string {
    const change = effect(type, quantity);
    this.store.db.prepare('INSERT INTO stock (sku, warehouse_id) VALUES (?, ?) ON CONFLICT DO NOTHING').run(sku, warehouseId);
    this.checkCounters(sku, warehouseId, change);
    // The CHECK constraints refuse negative stock or over-reservation; callers check first, so this is a last guard.
    this.store.db.prepare('UPDATE stock SET on_hand = on_hand + ?, reserved = reserved + ? WHERE sku = ? AND warehouse_id = ?').run(change.onHand, change.reserved, sku, warehouseId);
    const id = `M-${nextSequence(this.store.db, 'movement')}`;
    this.store.db.prepare('INSERT INTO movements (id, sku, warehouse_id, movement_type, quantity, reference, moved_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(id, sku, warehouseId, type, quantity, reference, now);
    const row = this.store.db.prepare('SELECT * FROM stock WHERE sku = ? AND warehouse_id = ?').get(sku, warehouseId) as StockRow;
    const payload: StockMoved = {
      movementId: id, sku, warehouseId, quantity, movementType: type, reference, onHand: row.on_hand, reserved: row.reserved,
      totalAvailable: this.level(sku).available, movedAt: now,
    };
    command.publish('switchboard.scm.StockMoved', payload);
    this.checkReorderPoint(sku, warehouseId, command, now);
    return id;
  }

  /**
   * Refuses (422) a movement after which a counter would not fit the `int` fields StockMoved
   * carries: such an event could not be encoded, and its outbox row would hold up every later one.
   */
  private checkCounters(sku: string, warehouseId: string, change: { onHand: number; reserved: number }): void {
    const row = this.store.db.prepare('SELECT on_hand, reserved FROM stock WHERE sku = ? AND warehouse_id = ?').get(sku, warehouseId) as { on_hand: number; reserved: number };
    const total = this.store.db.prepare('SELECT coalesce(sum(on_hand), 0) AS n FROM stock WHERE sku = ?').get(sku) as { n: number };
    if (Math.max(row.on_hand + change.onHand, row.reserved + change.reserved, total.n + change.onHand) > AVRO_INT_MAX) {
      throw new BusinessRuleError(ERRORS.SCM_STOCK_OUT_OF_RANGE.code, `${sku} in ${warehouseId} would hold more than ${AVRO_INT_MAX} units`, { field: 'quantity' });
    }
  }

  /** Publishes StockShortage: an order wants more than the warehouse has available. */
  shortage(input: Omit<StockShortage, 'detectedAt'>, command: CommandContext, now = Date.now()): void {
    const payload: StockShortage = { ...input, detectedAt: now };
    command.publish('switchboard.scm.StockShortage', payload);
  }

  /** ReorderPointReached once per crossing: raised when available ≤ point, re-armed when it climbs above. */
  checkReorderPoint(sku: string, warehouseId: string, command: CommandContext, now = Date.now()): void {
    const item = this.master.item(sku);
    if (item.reorderQuantity <= 0) return;
    const available = this.available(sku, warehouseId);
    const raised = this.store.db.prepare('SELECT 1 FROM reorder_alerts WHERE sku = ? AND warehouse_id = ?').get(sku, warehouseId) !== undefined;
    if (available > item.reorderPoint) {
      if (raised) this.store.db.prepare('DELETE FROM reorder_alerts WHERE sku = ? AND warehouse_id = ?').run(sku, warehouseId);
      return;
    }
    if (raised) return;
    this.store.db.prepare('INSERT INTO reorder_alerts (sku, warehouse_id, raised_at) VALUES (?, ?, ?)').run(sku, warehouseId, now);
    const payload: ReorderPointReached = { sku, warehouseId, available, reorderPoint: item.reorderPoint, reorderQuantity: item.reorderQuantity, reachedAt: now };
    command.publish('switchboard.scm.ReorderPointReached', payload);
  }

  /** Re-checks every warehouse of a SKU (after its reorder rule changed). */
  checkAllWarehouses(sku: string, command: CommandContext, now = Date.now()): void {
    const rows = this.store.db.prepare('SELECT warehouse_id FROM stock WHERE sku = ?').all(sku) as { warehouse_id: string }[];
    for (const row of rows) this.checkReorderPoint(sku, row.warehouse_id, command, now);
  }

  movements(sku: string): { id: string; warehouseId: string; movementType: string; quantity: number; reference: string | null; movedAt: number }[] {
    const rows = this.store.db.prepare('SELECT * FROM movements WHERE sku = ? ORDER BY moved_at, id').all(sku) as
      { id: string; warehouse_id: string; movement_type: string; quantity: number; reference: string | null; moved_at: number }[];
    return rows.map((r) => ({ id: r.id, warehouseId: r.warehouse_id, movementType: r.movement_type, quantity: r.quantity, reference: r.reference, movedAt: r.moved_at }));
  }
}

