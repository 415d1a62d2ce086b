import { mkdtempSync, cpSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allEventTypes } from '../catalogue/index.js';
import { SCHEMAS_DIR, SchemaCatalogError, loadSchemaCatalog, schemaCatalog } from './schema-catalog.js';

describe('schema catalogue', () => {
  const catalog = schemaCatalog();

  it('has one schema per event type of the topic catalogue', () => {
    expect(catalog.events.map((event) => event.fullName)).toEqual(allEventTypes().map((entry) => entry.fullName));
    expect(catalog.events).toHaveLength(21);
  });

  it('derives topic, subject (TopicRecordNameStrategy) and CloudEvents type', () => {
    const event = catalog.byFullName('switchboard.erp.SalesOrderConfirmed');
    expect(event?.topicName()).toBe('erp.sales-order.v1');
    expect(event?.subject()).toBe('erp.sales-order.v1-switchboard.erp.SalesOrderConfirmed');
    expect(event?.subject('t42.')).toBe('t42.erp.sales-order.v1-switchboard.erp.SalesOrderConfirmed');
    expect(event?.ceType).toBe('erp.sales-order.SalesOrderConfirmed');
  });

  it('makes each registered schema self-contained, defining each common type once', () => {
    const event = catalog.byFullName('switchboard.erp.SalesOrderConfirmed');
    const canonical = event?.canonical ?? '';
    expect(canonical.match(/"name":"Money"/g)).toHaveLength(1);
    expect(canonical.match(/"name":"Address"/g)).toHaveLength(1);
    expect(JSON.parse(canonical)).toEqual(event?.schema);
    expect(event?.type.name).toBe('switchboard.erp.SalesOrderConfirmed');
  });

  it('keeps money exact and times as timestamp-millis', () => {
    for (const event of catalog.events) {
      expect(event.canonical).not.toMatch(/"(float|double)"/);
    }
    const money = catalog.common.find((c) => c.name === 'Money');
    expect(JSON.stringify(money?.schema)).toContain('"logicalType":"decimal","precision":18,"scale":2');
  });

  describe('refuses a broken schemas folder', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'swb-schemas-'));
      for (const folder of ['common', 'crm', 'erp', 'scm']) cpSync(join(SCHEMAS_DIR, folder), join(dir, folder), { recursive: true });
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('names an undocumented field, a float and a stray file', () => {
      writeFileSync(
        join(dir, 'crm', 'CustomerDeactivated.avsc'),
        JSON.stringify({
          type: 'record', name: 'CustomerDeactivated', namespace: 'switchboard.crm', doc: 'x',
          fields: [
            { name: 'customerId', type: 'string' },
            { name: 'score', type: 'double', doc: 'a float' },
          ],
        }),
      );
      writeFileSync(join(dir, 'scm', 'Stray.avsc'), '{"type":"record","name":"Stray","namespace":"switchboard.scm","doc":"x","fields":[]}');
      let error: unknown;
      try {
        loadSchemaCatalog(dir);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(SchemaCatalogError);
      const problems = (error as SchemaCatalogError).problems.join('\n');
      expect(problems).toContain('switchboard.crm.CustomerDeactivated.customerId: field has no "doc"');
      expect(problems).toContain('switchboard.crm.CustomerDeactivated.score: double is not allowed');
      expect(problems).toContain('scm/Stray.avsc: no event type of topics/catalogue.ts uses it');
    });

    it('names a missing event schema', () => {
      rmSync(join(dir, 'scm', 'StockMoved.avsc'));
      expect(() => loadSchemaCatalog(dir)).toThrow(/scm\/StockMoved\.avsc/);
    });
  });
});
