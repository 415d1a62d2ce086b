import { ERRORS, ConflictError, type CommandContext, type ServiceStore } from '../../hub/service/index.js';
import type { Fulfilments } from './fulfilments.js';
import type { MasterData } from './master-data.js';
import type { Stock, StockLevel } from './stock.js';

/** Body of `POST /stock/receipts`. */
export interface GoodsReceipt {
  sku: string;
  warehouseId: string;
  quantity: number;
  /** Purchase order number or delivery note; a matching expected receipt is closed. */
  reference?: string;
}

/** Body of `POST /expected-receipts` (flow 14, from the ERP's PurchaseOrderPlaced). */
export interface NewExpectedReceipt {
  purchaseOrderNumber: string;
  sku: string;
  warehouseId: string;
  quantity: number;
  expectedAt?: number;
}

/** An announced receipt. */
export interface ExpectedReceipt {
  purchaseOrderNumber: string;
  sku: string;
  warehouseId: string;
  quantity: number;
  status: 'EXPECTED' | 'RECEIVED';
  expectedAt: number | null;
  receivedAt: number | null;
}

interface ExpectedRow { purchase_order_number: string; sku: string; warehouse_id: string; quantity: number; status: 'EXPECTED' | 'RECEIVED'; expected_at: number | null; received_at: number | null }
const toExpected = (r: ExpectedRow): ExpectedReceipt => ({
  purchaseOrderNumber: r.purchase_order_number, sku: r.sku, warehouseId: r.warehouse_id, quantity: r.quantity, status: r.status, expectedAt: r.expected_at, receivedAt: r.received_at,
});

/** Goods receipts (stock in, backorders allocated) and the receipts purchase orders announce. */
export class Receipts {
  constructor(private readonly store: ServiceStore, private readonly master: MasterData, private readonly stock: Stock, private readonly fulfilments: Fulfilments) {}

  /** Receives goods: StockMoved RECEIPT, then reservations for waiting backorders. */
  receive(input: GoodsReceipt, command: CommandContext, now = Date.now()): StockLevel {
    this.master.item(input.sku);
    this.master.warehouse(input.warehouseId, 'warehouseId');
    const reference = input.reference ?? null;
    this.stock.move(input.sku, input.warehouseId, 'RECEIPT', input.quantity, reference, command.correlatedTo(reference ?? input.sku), now);
    if (reference) {
      this.store.db.prepare("UPDATE expected_receipts SET status = 'RECEIVED', received_at = ? WHERE purchase_order_number = ? AND status = 'EXPECTED'").run(now, reference);
    }
    this.fulfilments.allocateBackorders(input.sku, input.warehouseId, command, now);
    return this.stock.level(input.sku);
  }

  /** Records an announced receipt; the same purchase order again returns the existing record. */
  expect(input: NewExpectedReceipt, now = Date.now()): { receipt: ExpectedReceipt; created: boolean } {
    const existing = this.find(input.purchaseOrderNumber);
    if (existing) {
      if (existing.sku !== input.sku || existing.quantity !== input.quantity || existing.warehouseId !== input.warehouseId) {
        throw new ConflictError(ERRORS.SCM_EXPECTED_RECEIPT_CONFLICT.code, `purchase order ${input.purchaseOrderNumber} is already expected with other contents`, { field: 'purchaseOrderNumber' });
      }
      return { receipt: existing, created: false };
    }
    this.master.item(input.sku);
    this.master.warehouse(input.warehouseId, 'warehouseId');
    this.store.db
      .prepare("INSERT INTO expected_receipts (purchase_order_number, sku, warehouse_id, quantity, status, expected_at, created_at) VALUES (?, ?, ?, ?, 'EXPECTED', ?, ?)")
      .run(input.purchaseOrderNumber, input.sku, input.warehouseId, input.quantity, input.expectedAt ?? null, now);
    return { receipt: this.find(input.purchaseOrderNumber) as ExpectedReceipt, created: true };
  }

  list(filter: { sku?: string; status?: string } = {}): ExpectedReceipt[] {
    const rows = this.store.db
      .prepare('SELECT * FROM expected_receipts WHERE (@sku IS NULL OR sku = @sku) AND (@status IS NULL OR status = @status) ORDER BY created_at, purchase_order_number')
      .all({ sku: filter.sku ?? null, status: filter.status ?? null }) as ExpectedRow[];
    return rows.map(toExpected);
  }

  private find(purchaseOrderNumber: string): ExpectedReceipt | undefined {
    const row = this.store.db.prepare('SELECT * FROM expected_receipts WHERE purchase_order_number = ?').get(purchaseOrderNumber) as ExpectedRow | undefined;
    return row && toExpected(row);
  }
}
