import type { PurchaseOrderPlaced } from '../../catalogue/index.js';
import { money, nextSequence, toMinor, type CommandContext, type Money, type ServiceStore } from '../../hub/service/index.js';
import type { Products } from './products.js';

/** The supplier used when a reorder names none. */
export const DEFAULT_SUPPLIER = 'SUP-1';

/** Body of `POST /purchase-orders` (flow 13, from the SCM's ReorderPointReached, or by a buyer). */
export interface NewPurchaseOrder {
  sku: string;
  quantity: number;
  warehouseId: string;
  supplierId?: string;
  reorderReference?: string;
  expectedAt?: number;
}

/** A purchase order as the API shows it. */
export interface PurchaseOrder {
  purchaseOrderNumber: string;
  supplierId: string;
  warehouseId: string;
  sku: string;
  quantity: number;
  unitCost: Money;
  status: 'PLACED' | 'RECEIVED';
  reorderReference: string | null;
  expectedAt: number | null;
  placedAt: number;
  receivedAt: number | null;
}

interface PurchaseOrderRow {
  number: string; supplier_id: string; warehouse_id: string; sku: string; quantity: number; unit_cost_minor: number; currency: string;
  status: 'PLACED' | 'RECEIVED'; reorder_reference: string | null; expected_at: number | null; placed_at: number; received_at: number | null;
}

function toPurchaseOrder(row: PurchaseOrderRow): PurchaseOrder {
  return {
    purchaseOrderNumber: row.number, supplierId: row.supplier_id, warehouseId: row.warehouse_id, sku: row.sku, quantity: row.quantity,
    unitCost: money(row.unit_cost_minor, row.currency), status: row.status, reorderReference: row.reorder_reference,
    expectedAt: row.expected_at, placedAt: row.placed_at, receivedAt: row.received_at,
  };
}

/** Purchase orders placed with suppliers; the SCM expects their receipt (flow 14). */
export class PurchaseOrders {
  constructor(private readonly store: ServiceStore, private readonly products: Products) {}

  list(filter: { sku?: string; status?: string } = {}): PurchaseOrder[] {
    const rows = this.store.db
      .prepare('SELECT * FROM purchase_orders WHERE (@sku IS NULL OR sku = @sku) AND (@status IS NULL OR status = @status) ORDER BY placed_at, number')
      .all({ sku: filter.sku ?? null, status: filter.status ?? null }) as PurchaseOrderRow[];
    return rows.map(toPurchaseOrder);
  }

  /** Places a purchase order at the product's standard cost (PurchaseOrderPlaced). */
  place(input: NewPurchaseOrder, command: CommandContext, now = Date.now()): PurchaseOrder {
    const product = this.products.get(input.sku, 'sku', true);
    const number = `PO-${nextSequence(this.store.db, 'purchase-order')}`;
    const cost = product.standardCost ?? product.unitPrice;
    const unitCost = toMinor(cost.amount);
    const supplierId = input.supplierId ?? DEFAULT_SUPPLIER;
    this.store.db
      .prepare(`INSERT INTO purchase_orders (number, supplier_id, warehouse_id, sku, quantity, unit_cost_minor, currency, status, reorder_reference, expected_at, placed_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, 'PLACED', ?, ?, ?)`)
      .run(number, supplierId, input.warehouseId, input.sku, input.quantity, unitCost, cost.currency, input.reorderReference ?? null, input.expectedAt ?? null, now);
    const payload: PurchaseOrderPlaced = {
      purchaseOrderNumber: number, supplierId, warehouseId: input.warehouseId,
      lines: [{ sku: input.sku, quantity: input.quantity, unitPrice: money(unitCost, cost.currency), lineTotal: money(unitCost * input.quantity, cost.currency) }],
      reorderReference: input.reorderReference ?? null, expectedAt: input.expectedAt ?? null, placedAt: now,
    };
    command.publish('switchboard.erp.PurchaseOrderPlaced', payload);
    const row = this.store.db.prepare('SELECT * FROM purchase_orders WHERE number = ?').get(number) as PurchaseOrderRow;
    return toPurchaseOrder(row);
  }
}
