import { readFileSync } from 'node:fs';
import { GENERATED_EVENTS_FILE, generateEventTypes } from './codegen.js';
import { schemaCatalog } from '../../schemas/schema-catalog.js';

describe('generated event types', () => {
  it('schemas/generated/events.ts is up to date with the .avsc files (run `npm run codegen` when this fails)', () => {
    expect(readFileSync(GENERATED_EVENTS_FILE, 'utf8')).toBe(generateEventTypes());
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
