import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { EVENT_NAMES } from '../../catalogue/index.js';
import { centsOf, eventFacts } from './event-facts.js';

describe('eventFacts', () => {
  it('gives every event type of the catalogue a subject named by its own id, and a summary without personal data', () => {
    for (const name of EVENT_NAMES) {
      const facts = eventFacts(name, EXAMPLE_EVENTS[name] as never, 1_000);
      expect(facts.aliases[0]).toEqual({ alias: facts.subject.id, kind: facts.subject.kind, subject: facts.subject.id, label: expect.any(String) });
      expect(facts.mentions).toContain(facts.subject.id);
      const value = EXAMPLE_EVENTS[name] as unknown as Record<string, unknown>;
      for (const field of ['name', 'email', 'phone', 'receivedBy']) {
        if (typeof value[field] === 'string' && (value[field] as string).length > 3) expect(facts.summary).not.toContain(value[field]);
      }
    }
  });

  it('links the ERP\'s and the SCM\'s ids of an order to its CRM order id', () => {
    const confirmed = { ...EXAMPLE_EVENTS['switchboard.erp.SalesOrderConfirmed'], crmOrderId: 'O-7', salesOrderNumber: 'SO-12' };
    expect(eventFacts('switchboard.erp.SalesOrderConfirmed', confirmed, 5).aliases).toContainEqual({ alias: 'SO-12', kind: 'order', subject: 'O-7', label: 'ERP sales order' });
    const dispatched = { ...EXAMPLE_EVENTS['switchboard.scm.ShipmentDispatched'], crmOrderId: 'O-7', shipmentId: 'SH-3', trackingNumber: 'JD1' };
    const facts = eventFacts('switchboard.scm.ShipmentDispatched', dispatched, 9);
    expect(facts.aliases.map((a) => [a.alias, a.kind, a.subject])).toEqual(expect.arrayContaining([['SH-3', 'order', 'O-7'], ['SH-3', 'shipment', 'SH-3'], ['JD1', 'order', 'O-7']]));
    expect(facts.order).toEqual({ orderId: 'O-7', dispatchedAt: 9 });
  });

  it('sets an order\'s milestones: placed, confirmed with its total in cents, paid only when the invoice is settled', () => {
    expect(eventFacts('switchboard.crm.OrderPlaced', { ...EXAMPLE_EVENTS['switchboard.crm.OrderPlaced'], orderId: 'O-1' }, 10).order).toMatchObject({ orderId: 'O-1', placedAt: 10 });
    const confirmed = { ...EXAMPLE_EVENTS['switchboard.erp.SalesOrderConfirmed'], crmOrderId: 'O-1', total: { amount: '537.90', currency: 'EUR' } };
    expect(eventFacts('switchboard.erp.SalesOrderConfirmed', confirmed, 20).order).toMatchObject({ confirmedAt: 20, totalCents: 53_790, currency: 'EUR' });
    const partial = { ...EXAMPLE_EVENTS['switchboard.erp.PaymentReceived'], crmOrderId: 'O-1', invoiceSettled: false };
    expect(eventFacts('switchboard.erp.PaymentReceived', partial, 30).order).toEqual({ orderId: 'O-1' });
    expect(eventFacts('switchboard.erp.PaymentReceived', { ...partial, invoiceSettled: true }, 40).order).toEqual({ orderId: 'O-1', paidAt: 40 });
  });

  it('reads decimal amounts exactly', () => {
    expect([centsOf({ amount: '12.5', currency: 'EUR' }), centsOf({ amount: '0.07', currency: 'EUR' }), centsOf({ amount: '-3.10', currency: 'EUR' }), centsOf({ amount: '100', currency: 'EUR' })]).toEqual([1250, 7, -310, 10_000]);
  });
});
