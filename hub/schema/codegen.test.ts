import { generateEventCatalogue, generateEventTypes, staleGeneratedFiles } from './codegen.js';
import { schemaCatalog } from '../../schemas/schema-catalog.js';

describe('generated event types', () => {
  it('catalogue/generated/ is up to date with topics/ and the .avsc files (run `npm run codegen` when this fails)', () => {
    expect(staleGeneratedFiles()).toEqual([]);
  });

  it('lists every event type with its topic and machine-readable key field', () => {
    const source = generateEventCatalogue();
    for (const event of schemaCatalog().events) {
      expect(source).toContain(`keyField: '${event.topic.keyField}'`);
      expect(source).toContain(`'${event.fullName}': {`);
    }
    expect(source).toContain("topic: 'erp.sales-order.v1', keyField: 'crmOrderId', ceType: 'erp.sales-order.SalesOrderConfirmed'");
  });

  it('has one interface per event and common record, and the event map', () => {
    const source = generateEventTypes();
    for (const event of schemaCatalog().events) {
      expect(source).toContain(`export interface ${event.eventType} {`);
      expect(source).toContain(`'${event.fullName}': ${event.eventType};`);
    }
    expect(source).toContain('export interface Money {');
    expect(source).toContain('amount: DecimalString;');
    expect(source).toContain("export type StockMovementType = 'RECEIPT' | 'RESERVATION' | 'ISSUE' | 'RELEASE' | 'ADJUSTMENT';");
    expect(source).toContain('phone?: string | null;');
    expect(source).toContain('export type SwitchboardEvent = EventTypeMap[EventFullName];');
  });
});
