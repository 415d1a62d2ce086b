/**
 * Seeds the master data the order flows need, through the services' public APIs only:
 * products in the ERP (which flow 12 carries to the CRM catalogue and the SCM item master),
 * a warehouse, reorder points and stock in the SCM, and customers in the CRM (which flows
 * 1–3 turn into ERP accounts and SCM consignees). Idempotent: fixed SKUs, warehouse id and
 * customer e-mails; whatever exists already is kept, and stock is only topped up.
 */
import { Services, waitUntil } from './http.js';

/** A product of the demo catalogue. */
export interface SeedProduct {
  readonly sku: string;
  readonly name: string;
  /** EUR, decimal string. */
  readonly unitPrice: string;
  readonly standardCost: string;
}

/** A customer of the demo; the e-mail identifies it across runs. */
export interface SeedCustomer {
  readonly name: string;
  readonly email: string;
  readonly segment: 'SMB' | 'ENTERPRISE' | 'CONSUMER';
  readonly address: { line1: string; city: string; postalCode: string; country: string };
}

export const DEMO_PRODUCTS: readonly SeedProduct[] = [
  { sku: 'DEMO-CHAIR', name: 'Ergonomic office chair', unitPrice: '249.00', standardCost: '120.00' },
  { sku: 'DEMO-DESK', name: 'Standing desk 160x80', unitPrice: '489.00', standardCost: '260.00' },
  { sku: 'DEMO-LAMP', name: 'LED desk lamp', unitPrice: '39.90', standardCost: '14.50' },
  { sku: 'DEMO-MONITOR', name: '27" monitor', unitPrice: '219.00', standardCost: '150.00' },
  { sku: 'DEMO-HEADSET', name: 'Noise-cancelling headset', unitPrice: '129.00', standardCost: '61.00' },
];

export const DEMO_CUSTOMERS: readonly SeedCustomer[] = [
  { name: 'Acme Logistics GmbH', email: 'purchasing@acme-logistics.example', segment: 'ENTERPRISE', address: { line1: 'Hafenstraße 12', city: 'Hamburg', postalCode: '20457', country: 'DE' } },
  { name: 'Brightside Studio', email: 'office@brightside.example', segment: 'ENTERPRISE', address: { line1: '14 Canal Street', city: 'Manchester', postalCode: 'M1 3HE', country: 'GB' } },
  { name: 'Café Lumière', email: 'bonjour@cafe-lumiere.example', segment: 'ENTERPRISE', address: { line1: '8 rue des Lilas', city: 'Lyon', postalCode: '69003', country: 'FR' } },
  { name: 'Delta Engineering BV', email: 'inkoop@delta-eng.example', segment: 'ENTERPRISE', address: { line1: 'Keizersgracht 221', city: 'Amsterdam', postalCode: '1016 DV', country: 'NL' } },
  { name: 'Evergreen Schools', email: 'facilities@evergreen.example', segment: 'ENTERPRISE', address: { line1: 'Via Roma 5', city: 'Milano', postalCode: '20121', country: 'IT' } },
  { name: 'Fjord Analytics AS', email: 'post@fjord-analytics.example', segment: 'ENTERPRISE', address: { line1: 'Karl Johans gate 3', city: 'Oslo', postalCode: '0154', country: 'NO' } },
];

export interface SeedOptions {
  readonly products?: readonly SeedProduct[];
  readonly customers?: readonly SeedCustomer[];
  readonly warehouseId?: string;
  /** Available stock per SKU after seeding (topped up by a goods receipt when below). */
  readonly stockPerSku?: number;
  /** Reorder point and quantity per SKU (flow 13); quantity 0 turns reordering off. */
  readonly reorderPoint?: number;
  readonly reorderQuantity?: number;
  /** How long to wait for the flows that carry master data (products to the SCM, customers to the ERP). */
  readonly timeoutMs?: number;
  readonly log?: (line: string) => void;
}

/** What the order stream needs: the CRM customer ids (with ERP accounts) and the SKUs. */
export interface SeededData {
  readonly customerIds: readonly string[];
  readonly skus: readonly string[];
  readonly warehouseId: string;
}

interface CrmCustomer {
  id: string;
  email: string;
  erpAccountNumber: string | null;
}

interface StockLevel {
  available: number;
}

/** Seeds (or tops up) the master data and waits until the order flows can use it. */
export async function seedMasterData(services: Services, options: SeedOptions = {}): Promise<SeededData> {
  const products = options.products ?? DEMO_PRODUCTS;
  const wanted = options.customers ?? DEMO_CUSTOMERS;
  const warehouseId = options.warehouseId ?? 'WH-DEMO';
  const stockPerSku = options.stockPerSku ?? 200;
  const timeoutMs = options.timeoutMs ?? 90_000;
  const log = options.log ?? (() => undefined);

  // ERP product master; 409 = created by an earlier run.
  let createdProducts = 0;
  for (const product of products) {
    const answer = await services.post('erp', '/products', {
      sku: product.sku, name: product.name,
      unitPrice: { amount: product.unitPrice, currency: 'EUR' }, standardCost: { amount: product.standardCost, currency: 'EUR' },
    }, { accept: [409] });
    if (answer.status === 201) createdProducts++;
  }
  log(`ERP products: ${createdProducts} created, ${products.length - createdProducts} already there`);

  const warehouse = await services.post('scm', '/warehouses', {
    id: warehouseId, name: 'Demo central warehouse', address: { line1: 'Industriestraße 1', city: 'Kassel', postalCode: '34117', country: 'DE' },
  }, { accept: [409] });
  log(`SCM warehouse ${warehouseId}: ${warehouse.status === 201 ? 'created' : 'already there'}`);

  // Customers first, so their flows run while the items travel to the SCM.
  const existing = (await services.get<CrmCustomer[]>('crm', '/customers')).body;
  const customerIds: string[] = [];
  let createdCustomers = 0;
  for (const customer of wanted) {
    const found = existing.find((c) => c.email === customer.email);
    if (found) {
      customerIds.push(found.id);
      continue;
    }
    const answer = await services.post<CrmCustomer>('crm', '/customers', {
      name: customer.name, email: customer.email, segment: customer.segment, billingAddress: customer.address,
    });
    customerIds.push(answer.body.id);
    createdCustomers++;
  }
  log(`CRM customers: ${createdCustomers} created, ${wanted.length - createdCustomers} already there`);

  log('waiting for flow 12 to put the products into the SCM item master ...');
  for (const product of products) {
    await waitUntil(async () => ((await services.get('scm', `/items/${product.sku}`, { accept: [404] })).status === 200 ? true : undefined), `SCM item ${product.sku}`, timeoutMs);
    await services.put('scm', `/items/${product.sku}`, { reorderPoint: options.reorderPoint ?? 40, reorderQuantity: options.reorderQuantity ?? 150 });
  }

  let received = 0;
  for (const product of products) {
    const stock = (await services.get<StockLevel>('scm', `/stock/${product.sku}`)).body;
    if (stock.available < stockPerSku) {
      await services.post('scm', '/stock/receipts', { sku: product.sku, warehouseId, quantity: stockPerSku - stock.available, reference: 'demo-seed' });
      received++;
    }
  }
  log(`SCM stock: ${received} SKU(s) topped up to ${stockPerSku} available, reorder point ${options.reorderPoint ?? 40}`);

  log('waiting for flows 1-3 to open the customers\' ERP accounts and SCM consignees ...');
  for (const id of customerIds) {
    await waitUntil(async () => (await services.get<CrmCustomer>('crm', `/customers/${id}`)).body.erpAccountNumber ?? undefined, `the ERP account of CRM customer ${id}`, timeoutMs);
  }
  await waitUntil(async () => {
    const consignees = (await services.get<{ crmCustomerId: string }[]>('scm', '/consignees')).body;
    const known = new Set(consignees.map((c) => c.crmCustomerId));
    return customerIds.every((id) => known.has(id)) ? true : undefined;
  }, 'the customers as SCM consignees', timeoutMs);
  log(`accounts open for ${customerIds.length} customer(s)`);
  return { customerIds, skus: products.map((p) => p.sku), warehouseId };
}
