import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { callJson, eventually, useConnectorRig } from '../../tests/kit/index.js';
import { loadDeclarativeConnector } from '../../hub/declarative/index.js';

const connector = loadDeclarativeConnector(new URL('./connector.yaml', import.meta.url));

interface Item { sku: string; name: string; reorderPoint: number; reorderQuantity: number }

const productCreated = EXAMPLE_EVENTS['switchboard.erp.ProductCreated'];
const priceChanged = EXAMPLE_EVENTS['switchboard.erp.PriceChanged'];

describe('erp-product-to-scm against the real SCM, through the runtime', () => {
  const rig = useConnectorRig('scm', connector, 'c12b');

  it('adds a new ERP product to the item master once, even when the event comes twice; a price change is skipped', async () => {
    const first = await rig.stack.publish('switchboard.erp.ProductCreated', productCreated.sku, productCreated);
    await rig.stack.publish('switchboard.erp.ProductCreated', productCreated.sku, productCreated, { id: first.id });
    await rig.stack.publish('switchboard.erp.PriceChanged', priceChanged.sku, priceChanged);
    const item = await eventually(async () => {
      const response = await callJson(rig.url, 'GET', '/items/SKU-CHAIR-01');
      return response.status === 200 ? (response.body as Item) : undefined;
    }, 30000, 'the item');
    expect(item).toMatchObject({ name: 'Ergonomic office chair', reorderPoint: 0, reorderQuantity: 0 });
    await eventually(() => (rig.worker.stats.delivered + rig.worker.stats.skipped >= 3 ? true : undefined), 30000, 'all three events handled');
    expect(rig.worker.stats).toMatchObject({ delivered: 1, skipped: 2, deadLettered: 0 });
    expect(((await callJson(rig.url, 'GET', '/items')).body as Item[]).map((candidate) => candidate.sku)).toEqual(['SKU-CHAIR-01']);
  });
});
