import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectorWorker } from '../../hub/runtime/connector-worker.js';
import { createScmApp, type ScmService } from '../../services/scm/app.js';
import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { startKitStack, type KitStack } from '../../tests/kit/kit-stack.js';
import { eventually } from '../../tests/support/isolation.js';
import { getJson } from '../../tests/support/perform-actions.js';
import connector from './connector.js';

interface Item { sku: string; name: string; reorderPoint: number; reorderQuantity: number }

const productCreated = EXAMPLE_EVENTS['switchboard.erp.ProductCreated'];
const priceChanged = EXAMPLE_EVENTS['switchboard.erp.PriceChanged'];

describe('erp-product-to-scm against the real SCM, through the runtime', () => {
  let dir: string;
  let scm: ScmService;
  let scmUrl: string;
  let stack: KitStack;
  let worker: ConnectorWorker;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'swb-c12b-'));
    scm = await createScmApp({ dbPath: join(dir, 'scm.db'), docsUi: false });
    scmUrl = await scm.app.listen({ port: 0, host: '127.0.0.1' });
    stack = await startKitStack({ label: 'c12b', targetUrls: { scm: scmUrl } });
    worker = await stack.startWorker(connector);
  });
  afterAll(async () => {
    await stack?.close();
    await scm?.app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds a new ERP product to the item master once, even when the event comes twice; a price change is skipped', async () => {
    const first = await stack.publish('switchboard.erp.ProductCreated', productCreated.sku, productCreated);
    await stack.publish('switchboard.erp.ProductCreated', productCreated.sku, productCreated, { id: first.id });
    await stack.publish('switchboard.erp.PriceChanged', priceChanged.sku, priceChanged);
    const item = await eventually(async () => {
      const response = await getJson(scmUrl, '/items/SKU-CHAIR-01');
      return response.status === 200 ? (response.body as Item) : undefined;
    }, 30000, 'the item');
    expect(item).toMatchObject({ name: 'Ergonomic office chair', reorderPoint: 0, reorderQuantity: 0 });
    await eventually(() => (worker.stats.delivered + worker.stats.skipped >= 3 ? true : undefined), 30000, 'all three events handled');
    expect(worker.stats).toMatchObject({ delivered: 1, skipped: 2, deadLettered: 0 });
    expect(((await getJson(scmUrl, '/items')).body as Item[]).map((candidate) => candidate.sku)).toEqual(['SKU-CHAIR-01']);
  });
});
