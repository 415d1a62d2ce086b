import { ERRORS, NotFoundError, money, toMinor, type Money, type ServiceStore } from '../../hub/service/index.js';

/** A catalogue entry: the ERP's product and price (flow 12) and the SCM's availability (flow 8). */
export interface CatalogueProduct {
  sku: string;
  name: string;
  unitPrice: Money | null;
  /** Units available to promise across all warehouses; null until the SCM has reported. */
  available: number | null;
  updatedAt: number;
}

interface ProductRow { sku: string; name: string; unit_price_minor: number | null; currency: string | null; available: number | null; updated_at: number }

function toProduct(row: ProductRow): CatalogueProduct {
  return {
    sku: row.sku, name: row.name,
    unitPrice: row.unit_price_minor === null || row.currency === null ? null : money(row.unit_price_minor, row.currency),
    available: row.available, updatedAt: row.updated_at,
  };
}

/** The CRM's product catalogue, fed by the ERP (products, prices) and the SCM (availability). */
export class Catalogue {
  constructor(private readonly store: ServiceStore) {}

  list(): CatalogueProduct[] {
    return (this.store.db.prepare('SELECT * FROM products ORDER BY sku').all() as ProductRow[]).map(toProduct);
  }

  get(sku: string): CatalogueProduct {
    const row = this.store.db.prepare('SELECT * FROM products WHERE sku = ?').get(sku) as ProductRow | undefined;
    if (!row) throw new NotFoundError(ERRORS.CRM_PRODUCT_NOT_FOUND.code, `product ${sku} is not in the catalogue`, { field: 'sku' });
    return toProduct(row);
  }

  /** Creates or replaces the product's name and price; returns whether it was new. */
  /**
   * Creates or updates a catalogue entry. A price change (PriceChanged) carries no name: the
   * stored name is kept, and a product first seen that way stands under its SKU until
   * ProductCreated names it.
   */
  upsert(sku: string, input: { name?: string; unitPrice: Money }, now = Date.now()): { product: CatalogueProduct; created: boolean } {
    const created = !this.exists(sku);
    this.store.db
      .prepare(`INSERT INTO products (sku, name, unit_price_minor, currency, updated_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT(sku) DO UPDATE SET name = coalesce(?, products.name), unit_price_minor = excluded.unit_price_minor, currency = excluded.currency, updated_at = excluded.updated_at`)
      .run(sku, input.name ?? sku, toMinor(input.unitPrice.amount, 'unitPrice.amount'), input.unitPrice.currency, now, input.name ?? null);
    return { product: this.get(sku), created };
  }

  /** Sets availability. Stock may be reported before the product itself arrives; the SKU then stands in for the name. */
  setAvailability(sku: string, available: number, now = Date.now()): CatalogueProduct {
    this.store.db
      .prepare(`INSERT INTO products (sku, name, available, updated_at) VALUES (?, ?, ?, ?)
        ON CONFLICT(sku) DO UPDATE SET available = excluded.available, updated_at = excluded.updated_at`)
      .run(sku, sku, available, now);
    return this.get(sku);
  }

  private exists(sku: string): boolean {
    return this.store.db.prepare('SELECT 1 FROM products WHERE sku = ?').get(sku) !== undefined;
  }
}
