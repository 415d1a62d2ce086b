import {
  ERRORS, ConflictError, NotFoundError, nextSequence, toAddress, type Address, type AddressInput, type ServiceStore,
} from '../../hub/service/index.js';

/** A warehouse. */
export interface Warehouse { id: string; name: string; address: Address | null; createdAt: number }
/** An item of the item master, with its reorder rule. */
export interface Item { sku: string; name: string; reorderPoint: number; reorderQuantity: number; updatedAt: number }
/** A consignee: where a CRM customer's goods go (flow 2). */
export interface Consignee { id: string; crmCustomerId: string; name: string; address: Address; updatedAt: number }

/** Body of `PUT /items/:sku`: the ERP's product (flow 12) or a planner's reorder rule. */
export interface ItemUpdate { name?: string; reorderPoint?: number; reorderQuantity?: number }

interface ItemRow { sku: string; name: string; reorder_point: number; reorder_quantity: number; updated_at: number }
const toItem = (row: ItemRow): Item => ({ sku: row.sku, name: row.name, reorderPoint: row.reorder_point, reorderQuantity: row.reorder_quantity, updatedAt: row.updated_at });

/** Warehouses, the item master and consignees. */
export class MasterData {
  constructor(private readonly store: ServiceStore) {}

  createWarehouse(input: { id: string; name: string; address?: AddressInput }, now = Date.now()): Warehouse {
    if (this.store.db.prepare('SELECT 1 FROM warehouses WHERE id = ?').get(input.id)) {
      throw new ConflictError(ERRORS.SCM_WAREHOUSE_EXISTS.code, `warehouse ${input.id} already exists`, { field: 'id' });
    }
    const address = input.address ? toAddress(input.address) : null;
    this.store.db.prepare('INSERT INTO warehouses (id, name, address, created_at) VALUES (?, ?, ?, ?)').run(input.id, input.name, address && JSON.stringify(address), now);
    return this.warehouse(input.id);
  }

  warehouses(): Warehouse[] {
    return (this.store.db.prepare('SELECT id FROM warehouses ORDER BY created_at, id').all() as { id: string }[]).map((row) => this.warehouse(row.id));
  }

  warehouse(id: string, field = 'id'): Warehouse {
    const row = this.store.db.prepare('SELECT * FROM warehouses WHERE id = ?').get(id) as { id: string; name: string; address: string | null; created_at: number } | undefined;
    if (!row) throw new NotFoundError(ERRORS.SCM_WAREHOUSE_NOT_FOUND.code, `warehouse ${id} does not exist`, { field });
    return { id: row.id, name: row.name, address: row.address === null ? null : (JSON.parse(row.address) as Address), createdAt: row.created_at };
  }

  /** Creates the item (named after its SKU until a name arrives) or updates the given fields. */
  upsertItem(sku: string, update: ItemUpdate, now = Date.now()): { item: Item; created: boolean } {
    const current = this.store.db.prepare('SELECT * FROM items WHERE sku = ?').get(sku) as ItemRow | undefined;
    const next = {
      name: update.name ?? current?.name ?? sku,
      reorderPoint: update.reorderPoint ?? current?.reorder_point ?? 0,
      reorderQuantity: update.reorderQuantity ?? current?.reorder_quantity ?? 0,
    };
    this.store.db
      .prepare(`INSERT INTO items (sku, name, reorder_point, reorder_quantity, updated_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT(sku) DO UPDATE SET name = excluded.name, reorder_point = excluded.reorder_point, reorder_quantity = excluded.reorder_quantity, updated_at = excluded.updated_at`)
      .run(sku, next.name, next.reorderPoint, next.reorderQuantity, now);
    return { item: this.item(sku), created: current === undefined };
  }

  items(): Item[] {
    return (this.store.db.prepare('SELECT * FROM items ORDER BY sku').all() as ItemRow[]).map(toItem);
  }

  /** The item; its NotFound code is retriable because the item master arrives from the ERP (flow 12). */
  item(sku: string, field = 'sku'): Item {
    const row = this.store.db.prepare('SELECT * FROM items WHERE sku = ?').get(sku) as ItemRow | undefined;
    if (!row) throw new NotFoundError(ERRORS.SCM_ITEM_NOT_FOUND.code, `item ${sku} is not in the item master (yet)`, { field });
    return toItem(row);
  }

  /** Creates or replaces the consignee of a CRM customer. */
  upsertConsignee(crmCustomerId: string, input: { name: string; address: AddressInput }, now = Date.now()): { consignee: Consignee; created: boolean } {
    const current = this.findConsignee(crmCustomerId);
    const address = JSON.stringify(toAddress(input.address));
    if (current) {
      this.store.db.prepare('UPDATE consignees SET name = ?, address = ?, updated_at = ? WHERE id = ?').run(input.name, address, now, current.id);
    } else {
      const id = `K-${nextSequence(this.store.db, 'consignee')}`;
      this.store.db.prepare('INSERT INTO consignees (id, crm_customer_id, name, address, updated_at) VALUES (?, ?, ?, ?, ?)').run(id, crmCustomerId, input.name, address, now);
    }
    return { consignee: this.findConsignee(crmCustomerId) as Consignee, created: current === undefined };
  }

  consignees(): Consignee[] {
    return (this.store.db.prepare('SELECT crm_customer_id FROM consignees ORDER BY id').all() as { crm_customer_id: string }[])
      .map((row) => this.findConsignee(row.crm_customer_id) as Consignee);
  }

  findConsignee(crmCustomerId: string): Consignee | undefined {
    const row = this.store.db.prepare('SELECT * FROM consignees WHERE crm_customer_id = ?').get(crmCustomerId) as
      { id: string; crm_customer_id: string; name: string; address: string; updated_at: number } | undefined;
    return row && { id: row.id, crmCustomerId: row.crm_customer_id, name: row.name, address: JSON.parse(row.address) as Address, updatedAt: row.updated_at };
  }
}
