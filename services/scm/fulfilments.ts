import type { ShipmentCreated, ShipmentDelivered, ShipmentDispatched } from '../../catalogue/index.js';
import {
  ERRORS, BusinessRuleError, ConflictError, NotFoundError, nextSequence, toAddress,
  type Address, type AddressInput, type CommandContext, type Line, type ServiceStore,
} from '../../hub/service/index.js';
import type { MasterData } from './master-data.js';
import type { Stock } from './stock.js';

export type ShipmentStatus = 'BACKORDERED' | 'READY' | 'DISPATCHED' | 'DELIVERED' | 'CANCELLED';

/** Body of `POST /fulfilments` (flow 5, from the ERP's SalesOrderConfirmed). */
export interface NewFulfilment {
  salesOrderNumber: string;
  crmOrderId: string;
  crmCustomerId: string;
  lines: Line[];
  shipTo?: AddressInput;
}

/** A shipment as the API shows it. */
export interface Shipment {
  id: string;
  salesOrderNumber: string;
  crmOrderId: string;
  crmCustomerId: string;
  warehouseId: string;
  status: ShipmentStatus;
  shipTo: Address;
  lines: { sku: string; quantity: number; reserved: number }[];
  carrier: string | null;
  trackingNumber: string | null;
  createdAt: number;
  dispatchedAt: number | null;
  deliveredAt: number | null;
}

interface ShipmentRow {
  id: string; sales_order_number: string; crm_order_id: string; crm_customer_id: string; warehouse_id: string; ship_to: string;
  status: ShipmentStatus; carrier: string | null; tracking_number: string | null; received_by: string | null; created_at: number;
  dispatched_at: number | null; delivered_at: number | null;
}

/**
 * Fulfilments and shipments: reserve stock for a confirmed sales order; what is short is a
 * backorder (StockShortage) that receipts allocate later; ready shipments are dispatched with
 * carrier and tracking number, then delivered.
 */
export class Fulfilments {
  constructor(private readonly store: ServiceStore, private readonly master: MasterData, private readonly stock: Stock) {}

  list(filter: { salesOrderNumber?: string; status?: string; crmOrderId?: string } = {}): Shipment[] {
    const rows = this.store.db
      .prepare(`SELECT id FROM shipments WHERE (@so IS NULL OR sales_order_number = @so) AND (@status IS NULL OR status = @status)
        AND (@crm IS NULL OR crm_order_id = @crm) ORDER BY created_at, id`)
      .all({ so: filter.salesOrderNumber ?? null, status: filter.status ?? null, crm: filter.crmOrderId ?? null }) as { id: string }[];
    return rows.map((row) => this.get(row.id));
  }

  get(id: string): Shipment {
    const row = this.row(id);
    const lines = this.store.db.prepare('SELECT sku, quantity, reserved FROM shipment_lines WHERE shipment_id = ? ORDER BY rowid').all(id) as Shipment['lines'];
    return {
      id: row.id, salesOrderNumber: row.sales_order_number, crmOrderId: row.crm_order_id, crmCustomerId: row.crm_customer_id,
      warehouseId: row.warehouse_id, status: row.status, shipTo: JSON.parse(row.ship_to) as Address, lines,
      carrier: row.carrier, trackingNumber: row.tracking_number, createdAt: row.created_at, dispatchedAt: row.dispatched_at, deliveredAt: row.delivered_at,
    };
  }

  /** Creates the shipment for a sales order and reserves what is available; a repeat returns the existing shipment. */
  create(input: NewFulfilment, command: CommandContext, now = Date.now()): { shipment: Shipment; created: boolean } {
    const existing = this.store.db.prepare('SELECT id FROM shipments WHERE sales_order_number = ?').get(input.salesOrderNumber) as { id: string } | undefined;
    if (existing) return { shipment: this.get(existing.id), created: false };
    input.lines.forEach((line, index) => this.master.item(line.sku, `lines.${index}.sku`));
    const shipTo = input.shipTo ? toAddress(input.shipTo) : this.master.findConsignee(input.crmCustomerId)?.address;
    if (!shipTo) {
      throw new NotFoundError(ERRORS.SCM_CONSIGNEE_NOT_FOUND.code, `no ship-to address and no consignee for CRM customer ${input.crmCustomerId} (yet)`, { field: 'crmCustomerId' });
    }
    const warehouseId = this.chooseWarehouse(input.lines);
    const id = `SH-${nextSequence(this.store.db, 'shipment')}`;
    this.store.db
      .prepare(`INSERT INTO shipments (id, sales_order_number, crm_order_id, crm_customer_id, warehouse_id, ship_to, status, created_at)
        VALUES (?, ?, ?, ?, ?, ?, 'BACKORDERED', ?)`)
      .run(id, input.salesOrderNumber, input.crmOrderId, input.crmCustomerId, warehouseId, JSON.stringify(shipTo), now);
    const orderFlow = command.correlatedTo(input.crmOrderId);
    for (const line of input.lines) {
      this.store.db.prepare('INSERT INTO shipment_lines (shipment_id, sku, quantity) VALUES (?, ?, ?)').run(id, line.sku, line.quantity);
      const available = this.stock.available(line.sku, warehouseId);
      const take = Math.min(available, line.quantity);
      if (take > 0) this.reserve(id, line.sku, warehouseId, take, input.salesOrderNumber, orderFlow, now);
      if (take < line.quantity) {
        this.stock.shortage({ sku: line.sku, warehouseId, requested: line.quantity, available, salesOrderNumber: input.salesOrderNumber, crmOrderId: input.crmOrderId }, orderFlow, now);
      }
    }
    this.updateReadiness(id);
    const payload: ShipmentCreated = {
      shipmentId: id, salesOrderNumber: input.salesOrderNumber, crmOrderId: input.crmOrderId, warehouseId,
      lines: input.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unitPrice: null, lineTotal: null })), shipTo, createdAt: now,
    };
    orderFlow.publish('switchboard.scm.ShipmentCreated', payload);
    return { shipment: this.get(id), created: true };
  }

  /** Allocates newly arrived stock to backordered shipments of that warehouse, oldest first. */
  allocateBackorders(sku: string, warehouseId: string, command: CommandContext, now = Date.now()): void {
    const waiting = this.store.db
      .prepare(`SELECT s.id, s.sales_order_number, s.crm_order_id, l.quantity - l.reserved AS missing FROM shipments s
        JOIN shipment_lines l ON l.shipment_id = s.id
        WHERE s.status = 'BACKORDERED' AND s.warehouse_id = ? AND l.sku = ? AND l.reserved < l.quantity ORDER BY s.created_at, s.id`)
      .all(warehouseId, sku) as { id: string; sales_order_number: string; crm_order_id: string; missing: number }[];
    for (const shipment of waiting) {
      const take = Math.min(this.stock.available(sku, warehouseId), shipment.missing);
      if (take <= 0) break;
      this.reserve(shipment.id, sku, warehouseId, take, shipment.sales_order_number, command.withinFlow(shipment.crm_order_id), now);
      this.updateReadiness(shipment.id);
    }
  }

  /** Dispatches a ready shipment: issues its stock (StockMoved ISSUE) and publishes ShipmentDispatched. */
  dispatch(id: string, carrier: string, trackingNumber: string, command: CommandContext, now = Date.now()): Shipment {
    const row = this.row(id);
    if (row.status === 'DISPATCHED' || row.status === 'DELIVERED') {
      if (row.carrier === carrier && row.tracking_number === trackingNumber) return this.get(id);
      throw new ConflictError(ERRORS.SCM_SHIPMENT_ALREADY_DISPATCHED.code, `shipment ${id} was dispatched with ${row.carrier} ${row.tracking_number}`, { field: 'id' });
    }
    if (row.status !== 'READY') {
      throw new ConflictError(ERRORS.SCM_SHIPMENT_NOT_READY.code, `shipment ${id} is ${row.status}; only a fully reserved shipment can be dispatched`, { field: 'id' });
    }
    const shipment = this.get(id);
    const orderFlow = command.correlatedTo(row.crm_order_id);
    for (const line of shipment.lines) this.stock.move(line.sku, row.warehouse_id, 'ISSUE', -line.quantity, row.sales_order_number, orderFlow, now);
    this.store.db.prepare("UPDATE shipments SET status = 'DISPATCHED', carrier = ?, tracking_number = ?, dispatched_at = ? WHERE id = ?").run(carrier, trackingNumber, now, id);
    const payload: ShipmentDispatched = {
      shipmentId: id, salesOrderNumber: row.sales_order_number, crmOrderId: row.crm_order_id, warehouseId: row.warehouse_id, carrier, trackingNumber,
      lines: shipment.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unitPrice: null, lineTotal: null })), dispatchedAt: now,
    };
    orderFlow.publish('switchboard.scm.ShipmentDispatched', payload);
    return this.get(id);
  }

  /** Marks a dispatched shipment delivered (ShipmentDelivered). */
  deliver(id: string, receivedBy: string | undefined, command: CommandContext, now = Date.now()): Shipment {
    const row = this.row(id);
    if (row.status === 'DELIVERED') return this.get(id);
    if (row.status !== 'DISPATCHED' || row.carrier === null || row.tracking_number === null) {
      throw new ConflictError(ERRORS.SCM_SHIPMENT_NOT_DISPATCHED.code, `shipment ${id} is ${row.status}; only a dispatched shipment can be delivered`, { field: 'id' });
    }
    this.store.db.prepare("UPDATE shipments SET status = 'DELIVERED', received_by = ?, delivered_at = ? WHERE id = ?").run(receivedBy ?? null, now, id);
    const payload: ShipmentDelivered = {
      shipmentId: id, salesOrderNumber: row.sales_order_number, crmOrderId: row.crm_order_id, carrier: row.carrier, trackingNumber: row.tracking_number,
      receivedBy: receivedBy ?? null, deliveredAt: now,
    };
    command.publish('switchboard.scm.ShipmentDelivered', payload);
    return this.get(id);
  }

  /** Cancels a shipment not yet dispatched and releases its reservations (StockMoved RELEASE). */
  cancel(id: string, command: CommandContext, now = Date.now()): Shipment {
    const row = this.row(id);
    if (row.status === 'CANCELLED') return this.get(id);
    if (row.status === 'DISPATCHED' || row.status === 'DELIVERED') {
      throw new BusinessRuleError(ERRORS.SCM_SHIPMENT_NOT_CANCELLABLE.code, `shipment ${id} has left the warehouse and cannot be cancelled`, { field: 'id' });
    }
    const orderFlow = command.correlatedTo(row.crm_order_id);
    for (const line of this.get(id).lines) {
      if (line.reserved > 0) this.stock.move(line.sku, row.warehouse_id, 'RELEASE', -line.reserved, row.sales_order_number, orderFlow, now);
    }
    this.store.db.prepare('UPDATE shipment_lines SET reserved = 0 WHERE shipment_id = ?').run(id);
    this.store.db.prepare("UPDATE shipments SET status = 'CANCELLED' WHERE id = ?").run(id);
    return this.get(id);
  }

  private reserve(shipmentId: string, sku: string, warehouseId: string, quantity: number, salesOrderNumber: string, command: CommandContext, now: number): void {
    this.store.db.prepare('UPDATE shipment_lines SET reserved = reserved + ? WHERE shipment_id = ? AND sku = ?').run(quantity, shipmentId, sku);
    this.stock.move(sku, warehouseId, 'RESERVATION', quantity, salesOrderNumber, command, now);
  }

  private updateReadiness(id: string): void {
    const short = this.store.db.prepare('SELECT count(*) AS n FROM shipment_lines WHERE shipment_id = ? AND reserved < quantity').get(id) as { n: number };
    this.store.db.prepare('UPDATE shipments SET status = ? WHERE id = ?').run(short.n === 0 ? 'READY' : 'BACKORDERED', id);
  }

  /** The warehouse that can fill the most units of the order (the first one on a tie). */
  private chooseWarehouse(lines: Line[]): string {
    const warehouses = this.master.warehouses();
    if (warehouses.length === 0) throw new BusinessRuleError(ERRORS.SCM_NO_WAREHOUSE.code, 'the SCM has no warehouse to ship from; create one first', { field: 'lines' });
    let best = { id: (warehouses[0] as { id: string }).id, units: -1 };
    for (const warehouse of warehouses) {
      const units = lines.reduce((sum, line) => sum + Math.min(line.quantity, this.stock.available(line.sku, warehouse.id)), 0);
      if (units > best.units) best = { id: warehouse.id, units };
    }
    return best.id;
  }

  private row(id: string): ShipmentRow {
    const row = this.store.db.prepare('SELECT * FROM shipments WHERE id = ?').get(id) as ShipmentRow | undefined;
    if (!row) throw new NotFoundError(ERRORS.SCM_SHIPMENT_NOT_FOUND.code, `shipment ${id} does not exist`, { field: 'id' });
    return row;
  }
}
