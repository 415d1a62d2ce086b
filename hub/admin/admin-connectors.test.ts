import { targetSystemOf } from './admin-connectors.js';

describe('targetSystemOf', () => {
  it('names the target system of a connector that calls one', () => {
    expect(targetSystemOf({ system: 'erp' })).toBe('erp');
  });

  it('names the system whose topics carry what a topic target produces, from the catalogue', () => {
    expect(targetSystemOf({ kind: 'topic', produces: ['switchboard.scm.StockMoved'] })).toBe('scm');
    expect(targetSystemOf({ kind: 'topic', produces: ['switchboard.crm.OrderPlaced', 'switchboard.crm.CustomerCreated'] })).toBe('crm');
  });

  it('says topics when the events go to several systems or the connector does not say what it produces', () => {
    expect(targetSystemOf({ kind: 'topic', produces: ['switchboard.scm.StockMoved', 'switchboard.crm.OrderPlaced'] })).toBe('topics');
    expect(targetSystemOf({ kind: 'topic' })).toBe('topics');
  });
});
