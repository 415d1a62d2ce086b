import type { PriceChanged, ProductCreated } from '../../catalogue/index.js';
import { ERRORS, ConflictError, NotFoundError, money, toMinor, type CommandContext, type Money, type ServiceStore } from '../../hub/service/index.js';
import { assertErpCurrency } from './currency.js';

/** Body of `POST /products`. */
export interface NewProduct {
  sku: string;
  name: string;
  description?: string;
  unitPrice: Money;
  standardCost?: Money;
}

/** Body of `PATCH /products/:sku`. */
export interface ProductChanges {
  name?: string;
  description?: string;
  unitPrice?: Money;
  standardCost?: Money;
}

/** A product of the ERP's product master. */
export interface Product {
  sku: string;
  name: string;
  description: string | null;
  unitPrice: Money;
  standardCost: Money | null;
  createdAt: number;
  updatedAt: number;
}

export interface ProductRow {
  sku: string; name: string; description: string | null; unit_price_minor: number; standard_cost_minor: number | null;
  currency: string; created_at: number; updated_at: number;
}

function toProduct(row: ProductRow): Product {
  return {
    sku: row.sku, name: row.name, description: row.description, unitPrice: money(row.unit_price_minor, row.currency),
    standardCost: row.standard_cost_minor === null ? null : money(row.standard_cost_minor, row.currency),
    createdAt: row.created_at, updatedAt: row.updated_at,
  };
}

/** The product master, owned by the ERP (flow 12 carries it to the CRM and SCM). */
export class Products {
  constructor(private readonly store: ServiceStore) {}

  list(): Product[] {
    return (this.store.db.prepare('SELECT * FROM products ORDER BY sku').all() as ProductRow[]).map(toProduct);
  }

  find(sku: string): ProductRow | undefined {
    return this.store.db.prepare('SELECT * FROM products WHERE sku = ?').get(sku) as ProductRow | undefined;
  }

  /**
   * The product `sku`. `retriable` when the SKU comes from another flow and the product may
   * still be on its way: a miss is then ERP_PRODUCT_NOT_YET, not _NOT_FOUND.
   */
  get(sku: string, field = 'sku', retriable = false): Product {
    const row = this.find(sku);
    if (!row) {
      const code = retriable ? ERRORS.ERP_PRODUCT_NOT_YET.code : ERRORS.ERP_PRODUCT_NOT_FOUND.code;
      throw new NotFoundError(code, `product ${sku} does not exist`, { field });
    }
    return toProduct(row);
  }

  create(input: NewProduct, command: CommandContext, now = Date.now()): Product {
    assertErpCurrency(input.unitPrice, 'unitPrice.currency');
    if (input.standardCost) assertErpCurrency(input.standardCost, 'standardCost.currency');
    if (this.find(input.sku)) throw new ConflictError(ERRORS.ERP_PRODUCT_EXISTS.code, `product ${input.sku} already exists`, { field: 'sku' });
    this.store.db
      .prepare('INSERT INTO products (sku, name, description, unit_price_minor, standard_cost_minor, currency, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(input.sku, input.name, input.description ?? null, toMinor(input.unitPrice.amount), input.standardCost ? toMinor(input.standardCost.amount) : null, input.unitPrice.currency, now, now);
    this.store.db.prepare('INSERT INTO inventory (sku) VALUES (?)').run(input.sku);
    const payload: ProductCreated = {
      sku: input.sku, name: input.name, description: input.description ?? null, unitPrice: input.unitPrice,
      standardCost: input.standardCost ?? null, createdAt: now,
    };
    command.publish('switchboard.erp.ProductCreated', normalise(payload));
    return this.get(input.sku);
  }

  /** Changes name, description, cost or price; a new price publishes PriceChanged. */
  update(sku: string, changes: ProductChanges, command: CommandContext, now = Date.now()): Product {
    const current = this.get(sku);
    if (changes.unitPrice) assertErpCurrency(changes.unitPrice, 'unitPrice.currency');
    if (changes.standardCost) assertErpCurrency(changes.standardCost, 'standardCost.currency');
    const price = changes.unitPrice ? toMinor(changes.unitPrice.amount) : toMinor(current.unitPrice.amount);
    const cost = changes.standardCost ? toMinor(changes.standardCost.amount) : current.standardCost && toMinor(current.standardCost.amount);
    this.store.db
      .prepare('UPDATE products SET name = ?, description = ?, unit_price_minor = ?, standard_cost_minor = ?, updated_at = ? WHERE sku = ?')
      .run(changes.name ?? current.name, changes.description ?? current.description, price, cost, now, sku);
    if (price !== toMinor(current.unitPrice.amount)) {
      const payload: PriceChanged = { sku, unitPrice: money(price, current.unitPrice.currency), previousUnitPrice: current.unitPrice, changedAt: now };
      command.publish('switchboard.erp.PriceChanged', payload);
    }
    return this.get(sku);
  }
}

/** Amounts in events carry exactly two decimals ("12.5" becomes "12.50"), as the Avro decimal's scale says. */
function normalise(payload: ProductCreated): ProductCreated {
  const fix = (value: Money): Money => money(toMinor(value.amount), value.currency);
  return { ...payload, unitPrice: fix(payload.unitPrice), standardCost: payload.standardCost ? fix(payload.standardCost) : null };
}
