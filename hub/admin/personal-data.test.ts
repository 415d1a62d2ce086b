import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { schemaCatalog, type JsonValue } from '../../schemas/schema-catalog.js';
import { MASK, PersonalData } from './personal-data.js';

const personal = new PersonalData();

describe('personal data in events', () => {
  it('masks the personal fields of a customer, its addresses line by line, and keeps the rest', () => {
    const { value, personal: found } = personal.mask('switchboard.crm.CustomerCreated', EXAMPLE_EVENTS['switchboard.crm.CustomerCreated']);
    expect(value).toEqual({
      customerId: 'C-1017',
      name: MASK,
      email: MASK,
      phone: MASK,
      segment: 'SMB',
      billingAddress: { line1: MASK, line2: null, city: MASK, postalCode: MASK, country: 'DE' },
      // A later reference to a common type is its name in the schema: it is resolved too.
      shippingAddress: { line1: MASK, line2: MASK, city: MASK, postalCode: MASK, country: 'DE' },
      createdAt: EXAMPLE_EVENTS['switchboard.crm.CustomerCreated'].createdAt,
    });
    expect(found).toEqual(expect.arrayContaining(['Nordlicht Möbel GmbH', 'einkauf@nordlicht-moebel.de', '+49 40 1234567', 'Hafenstraße 12', 'Bremen']));
  });

  it('keeps a null personal field null and leaves events without personal data as they are', () => {
    expect((personal.mask('switchboard.crm.CustomerUpdated', EXAMPLE_EVENTS['switchboard.crm.CustomerUpdated']).value as { phone: unknown }).phone).toBeNull();
    const product = EXAMPLE_EVENTS['switchboard.erp.ProductCreated'];
    // A product's name is not personal: the same field name, another event.
    expect(personal.mask('switchboard.erp.ProductCreated', product)).toEqual({ value: product, personal: [] });
  });

  it('masks addresses inside orders and shipments, wherever the type is used', () => {
    const order = personal.mask('switchboard.crm.OrderPlaced', EXAMPLE_EVENTS['switchboard.crm.OrderPlaced']).value as { shipTo: { line1: string; country: string }; lines: unknown[] };
    expect(order.shipTo).toMatchObject({ line1: MASK, country: 'DE' });
    expect(order.lines).toEqual(EXAMPLE_EVENTS['switchboard.crm.OrderPlaced'].lines);
  });

  it('masks a value of an event type the schemas do not know as a whole', () => {
    expect(personal.mask('switchboard.crm.Unknown', { name: 'x' })).toEqual({ value: MASK, personal: [] });
    expect(personal.mask(undefined, { name: 'x' }).value).toBe(MASK);
  });

  it('scrubs personal values and e-mail addresses from texts such as error messages', () => {
    const text = 'PUT /consignees/C-1017 answered 400: name "Nordlicht Möbel GmbH" refused; contact someone@example.org';
    expect(personal.scrub(text, ['Nordlicht Möbel GmbH'])).toBe(`PUT /consignees/C-1017 answered 400: name "${MASK}" refused; contact ${MASK}`);
  });

  it('marks every field named like personal data in the schemas (a guard for new event types)', () => {
    const unmarked: string[] = [];
    const walk = (node: JsonValue, where: string): void => {
      if (Array.isArray(node)) return node.forEach((branch) => walk(branch, where));
      if (typeof node !== 'object' || node === null) return;
      if (Array.isArray(node.fields)) {
        for (const field of node.fields) {
          if (typeof field !== 'object' || field === null || Array.isArray(field)) continue;
          const name = String(field.name);
          if (/^(email|phone|receivedBy|line1|line2|postalCode|city)$/.test(name) && field.pii !== true) unmarked.push(`${where}.${name}`);
          walk(field.type as JsonValue, `${where}.${name}`);
        }
      }
    };
    for (const event of schemaCatalog().events) walk(event.schema, event.fullName);
    for (const common of schemaCatalog().common) walk(common.schema, common.fullName);
    expect(unmarked).toEqual([]);
  });
});
