import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { callJson, eventually, useConnectorRig } from '../../tests/kit/index.js';
import connector from './connector.js';

interface CatalogueProduct { sku: string; name: string; unitPrice: { amount: string; currency: string } | null }

const productCreated = EXAMPLE_EVENTS['switchboard.erp.ProductCreated'];
const priceChanged = EXAMPLE_EVENTS['switchboard.erp.PriceChanged'];

describe('erp-product-to-crm against the real CRM, through the runtime', () => {
  const rig = useConnectorRig('crm', connector, 'c12a');

  const product = async (sku: string): Promise<CatalogueProduct | undefined> => {
    const response = await callJson(rig.url, 'GET', `/products/${sku}`);
    return response.status === 200 ? (response.body as CatalogueProduct) : undefined;
  };

  it('lists a new ERP product in the CRM catalogue with its list price, once, even when the event comes twice', async () => {
    const first = await rig.stack.publish('switchboard.erp.ProductCreated', productCreated.sku, productCreated);
    await rig.stack.publish('switchboard.erp.ProductCreated', productCreated.sku, productCreated, { id: first.id });
    const listed = await eventually(() => product('SKU-CHAIR-01'), 30000, 'the catalogue entry');
    expect(listed).toMatchObject({ name: 'Ergonomic office chair', unitPrice: { amount: '149.90', currency: 'EUR' } });
    await eventually(() => (rig.worker.stats.delivered + rig.worker.stats.skipped >= 2 ? true : undefined), 30000, 'both copies handled');
    expect(rig.worker.stats.delivered).toBe(1);
    expect(((await callJson(rig.url, 'GET', '/products')).body as CatalogueProduct[]).filter((p) => p.sku === 'SKU-CHAIR-01')).toHaveLength(1);
  });

  it('changes the list price on a price change and keeps the name', async () => {
    await rig.stack.publish('switchboard.erp.PriceChanged', priceChanged.sku, priceChanged);
    const repriced = await eventually(async () => {
      // A dead letter will not turn into the new price: fail with its reason at once.
      const [letter] = await rig.stack.deadLetters.list(connector.name);
      if (letter) throw new Error(`PriceChanged was dead-lettered: ${letter.errorCode} ${letter.errorMessage}`);
      const current = await product('SKU-CHAIR-01');
      return current?.unitPrice?.amount === '159.90' ? current : undefined;
    }, 30000, 'the new price');
    expect(repriced.name).toBe('Ergonomic office chair');
    expect(await rig.stack.deadLetters.list(connector.name)).toEqual([]);
  });
});
