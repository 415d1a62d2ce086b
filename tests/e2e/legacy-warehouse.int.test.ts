/**
 * The worked example of change-data capture (docs/adapters.md): a legacy warehouse database on
 * the stack's PostgreSQL, changed by plain SQL; `switchboard cdc` publishes its row changes,
 * `legacy-stock-to-scm` makes them SCM stock movements, and flows 7 and 8 carry them into the
 * ERP's inventory ledger and the CRM's availability. Every part is a real process.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../hub/config/project-root.js';
import { createTestDatabase, startSystem, Systems, withSystemLog, type RunningSystem, type TestDatabase } from '../kit/index.js';
import type { CrmProduct, InventoryPosition } from '../kit/system-clients.js';

const EXAMPLE = join(PROJECT_ROOT, 'demo', 'legacy-warehouse');

describe('the legacy warehouse: plain SQL in PostgreSQL shows up in the ERP and the CRM', () => {
  let db: TestDatabase;
  let system: RunningSystem;
  let sys: Systems;

  beforeAll(async () => {
    db = await createTestDatabase('legacy');
    await db.query(readFileSync(join(EXAMPLE, 'schema.sql'), 'utf8'));
    await db.query(readFileSync(join(EXAMPLE, 'seed.sql'), 'utf8'));
    system = await startSystem({ connectors: ['legacy-stock-to-scm', 'scm-stock-to-erp', 'scm-stock-to-crm'] });
    sys = new Systems(system, 90_000);
    // The ERP values stock at the product's standard cost, so it must know the products.
    for (const sku of ['LEGACY-HINGE-01', 'LEGACY-CASTOR-04']) {
      await sys.erp.post('/products', { sku, name: `Spare part ${sku}`, unitPrice: { amount: '4.90', currency: 'EUR' }, standardCost: { amount: '1.50', currency: 'EUR' } });
    }
    const slot = `swb_legacy_${process.pid}`;
    await system.startCdc({ CDC_DATABASE_URL: db.url, CDC_SLOT: slot, CDC_PUBLICATION: slot });
  }, 300_000);
  afterAll(async () => {
    await system?.stop();
    await db?.drop();
  });

  const position = (sku: string) => sys.erp.find<InventoryPosition>(`/inventory/${sku}`);
  const available = (sku: string) => sys.crm.find<CrmProduct>(`/products/${sku}`);

  it('brings the levels read by the snapshot into the ERP ledger and the CRM catalogue', () => withSystemLog(system, async () => {
    await sys.until('the snapshot of LEGACY-HINGE-01 in the ERP', async () => ((await position('LEGACY-HINGE-01'))?.onHand === 120 ? true : undefined));
    await sys.until('LEGACY-CASTOR-04 available in the CRM', async () => ((await available('LEGACY-CASTOR-04'))?.available === 40 ? true : undefined));
    const castor = await position('LEGACY-CASTOR-04');
    expect(castor?.ledger).toEqual([expect.objectContaining({ warehouseId: 'WH-LEGACY', movementType: 'ADJUSTMENT', quantity: 48, reference: 'legacy-warehouse snapshot' })]);
  }));

  it('books an UPDATE of a stock level as a movement in the ERP and shows the new level in the CRM', () => withSystemLog(system, async () => {
    await db.query("UPDATE stock_levels SET on_hand = on_hand - 25, updated_at = now() WHERE sku = 'LEGACY-HINGE-01'");
    const hinge = await sys.until('the update in the ERP', async () => {
      const found = await position('LEGACY-HINGE-01');
      return found?.onHand === 95 ? found : undefined;
    });
    expect(hinge.ledger.map((entry) => [entry.movementType, entry.quantity, entry.reference])).toEqual([
      ['ADJUSTMENT', 120, 'legacy-warehouse snapshot'],
      ['ADJUSTMENT', -25, 'legacy-warehouse update'],
    ]);
    await sys.until('the update in the CRM', async () => ((await available('LEGACY-HINGE-01'))?.available === 95 ? true : undefined));
  }));
});
