import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectorWorker } from '../../hub/runtime/connector-worker.js';
import { createCrmApp, type CrmService } from '../../services/crm/app.js';
import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { startKitStack, type KitStack } from '../../tests/kit/kit-stack.js';
import { eventually } from '../../tests/support/isolation.js';
import { getJson } from '../../tests/support/perform-actions.js';
import connector from './connector.js';

interface CatalogueProduct { sku: string; name: string; unitPrice: { amount: string; currency: string } | null }

const productCreated = EXAMPLE_EVENTS['switchboard.erp.ProductCreated'];
const priceChanged = EXAMPLE_EVENTS['switchboard.erp.PriceChanged'];

describe('erp-product-to-crm against the real CRM, through the runtime', () => {
  let dir: string;
  let crm: CrmService;
  let crmUrl: string;
  let stack: KitStack;
  let worker: ConnectorWorker;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'swb-c12a-'));
    crm = await createCrmApp({ dbPath: join(dir, 'crm.db'), docsUi: false });
    crmUrl = await crm.app.listen({ port: 0, host: '127.0.0.1' });
    stack = await startKitStack({ label: 'c12a', targetUrls: { crm: crmUrl } });
    worker = await stack.startWorker(connector);
  });
  afterAll(async () => {
    await stack?.close();
    await crm?.app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const product = async (sku: string): Promise<CatalogueProduct | undefined> => {
    const response = await getJson(crmUrl, `/products/${sku}`);
    return response.status === 200 ? (response.body as CatalogueProduct) : undefined;
  };

  it('lists a new ERP product in the CRM catalogue with its list price, once, even when the event comes twice', async () => {
    const first = await stack.publish('switchboard.erp.ProductCreated', productCreated.sku, productCreated);
    await stack.publish('switchboard.erp.ProductCreated', productCreated.sku, productCreated, { id: first.id });
    const listed = await eventually(() => product('SKU-CHAIR-01'), 30000, 'the catalogue entry');
    expect(listed).toMatchObject({ name: 'Ergonomic office chair', unitPrice: { amount: '149.90', currency: 'EUR' } });
    await eventually(() => (worker.stats.delivered + worker.stats.skipped >= 2 ? true : undefined), 30000, 'both copies handled');
    expect(worker.stats.delivered).toBe(1);
    expect(((await getJson(crmUrl, '/products')).body as CatalogueProduct[]).filter((p) => p.sku === 'SKU-CHAIR-01')).toHaveLength(1);
  });

  it('changes the list price on a price change and keeps the name', async () => {
    await stack.publish('switchboard.erp.PriceChanged', priceChanged.sku, priceChanged);
    const repriced = await eventually(async () => {
      // A dead letter will not turn into the new price: fail with its reason at once.
      const [letter] = await stack.deadLetters.list(connector.name);
      if (letter) throw new Error(`PriceChanged was dead-lettered: ${letter.errorCode} ${letter.errorMessage}`);
      const current = await product('SKU-CHAIR-01');
      return current?.unitPrice?.amount === '159.90' ? current : undefined;
    }, 30000, 'the new price');
    expect(repriced.name).toBe('Ergonomic office chair');
    expect(await stack.deadLetters.list(connector.name)).toEqual([]);
  });
});
