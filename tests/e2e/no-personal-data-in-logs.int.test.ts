/**
 * No personal data and no secret in any log line of any process, nor in a dead letter's
 * headers. The whole system runs with every process at `debug`; customers with distinctive
 * names, e-mails, street lines and phones go through order to cash (and one changes its details);
 * a customer event the targets refuse is dead-lettered. Then every line every process wrote, and
 * every header of the dead letters, is searched for those values and for every token of the
 * credentials file and any password or token in the environment.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { kitCredentials } from '../kit/credentials.js';
import { openSystemBus, type SystemBus } from '../kit/system-bus.js';
import { Systems, type CrmCustomer } from '../kit/system-clients.js';
import { startSystem, withSystemLog, type RunningSystem } from '../kit/system.js';

jest.setTimeout(300_000);

/** People nobody else in the repository is called, living in streets nobody else uses. */
const PEOPLE = [
  {
    name: 'Zephyrine Quackenbush-Oyelaran', email: 'zephyrine.q@oyelaran-mail.example', phone: '+31 6 4729 1853',
    billingAddress: { line1: 'Kwartelstraat 917', line2: 'Achterhuis 3b', city: 'Zaandijk', postalCode: '1544 ZX', country: 'NL' },
    shippingAddress: { line1: 'Vossiusgracht 48', city: 'Zaandijk', postalCode: '1544 ZY', country: 'NL' },
  },
  {
    name: 'Thaddeus Wrenfield-Mbeki', email: 't.wrenfield@mbeki-post.example', phone: '+44 20 7946 3371',
    billingAddress: { line1: '63 Pellucid Mews', city: 'Lowestoft', postalCode: 'NR32 1XQ', country: 'GB' },
  },
] as const;
const CHANGED = { phone: '+31 20 555 0199', shippingAddress: { line1: 'Zwaluwsteeg 1204', city: 'Zaandijk', postalCode: '1544 ZW', country: 'NL' } };
const REFUSED = { name: 'Ottoline Farquharson-Vasquez', email: 'ottoline.fv@vasquez-mail.example', phone: '+49 30 9012 7755', line1: 'Grauammerweg 311' };

/** Every value that must never appear: the people's details, every token, every password or token in the environment. */
function needles(): string[] {
  const people = PEOPLE.flatMap((p) => [p.name, ...p.name.split(/[\s-]+/), p.email, p.phone, p.billingAddress.line1, 'line2' in p.billingAddress ? p.billingAddress.line2 : '', 'shippingAddress' in p ? p.shippingAddress.line1 : '']);
  const changed = [CHANGED.phone, CHANGED.shippingAddress.line1];
  const refused = [REFUSED.name, ...REFUSED.name.split(/[\s-]+/), REFUSED.email, REFUSED.phone, REFUSED.line1];
  const tokens = Object.values(kitCredentials().file.principals).flatMap((entry) => (entry.token ? [entry.token] : []));
  const environment = Object.entries(process.env).filter(([name, value]) => /PASSWORD|TOKEN|SECRET/i.test(name) && value && value.length >= 6).map(([, value]) => value as string);
  return [...people, ...changed, ...refused, ...tokens, ...environment].filter((value) => value.length >= 4);
}

/** The needles found in `text`, case-insensitively, each with a little context. */
function found(text: string, values: readonly string[]): string[] {
  const lower = text.toLowerCase();
  return values.flatMap((value) => {
    const at = lower.indexOf(value.toLowerCase());
    return at < 0 ? [] : [`${value} in …${text.slice(Math.max(0, at - 120), at + value.length + 40)}…`];
  });
}

let system: RunningSystem;
let bus: SystemBus;
let sys: Systems;

beforeAll(async () => {
  system = await startSystem({ env: { LOG_LEVEL: 'debug' } });
  bus = await openSystemBus(system);
  sys = new Systems(system);
}, 240_000);

afterAll(async () => {
  await system?.stop();
  await bus?.close();
}, 120_000);

describe('logs and dead letters', () => {
  it('never show a customer\'s name, e-mail, street or phone, nor a token or password, with every process at debug', () => withSystemLog(system, async () => {
    await sys.warehouse('WH-PII');
    await sys.product('PII-A', '19.99');
    await sys.receive('PII-A', 'WH-PII', 50);

    for (const person of PEOPLE) {
      const created = await sys.crm.post<CrmCustomer>('/customers', { ...person, segment: 'SMB' });
      const customer = await sys.until(`the ERP account of ${created.id}`, async () => {
        const c = await sys.crm.get<CrmCustomer>(`/customers/${created.id}`);
        return c.erpAccountNumber ? c : undefined;
      });
      await sys.until(`the SCM consignee of ${created.id}`, async () => {
        const consignees = await sys.scm.get<{ crmCustomerId: string }[]>('/consignees');
        return consignees.some((c) => c.crmCustomerId === created.id) ? true : undefined;
      });
      const placed = await sys.placeOrder(customer.id, [{ sku: 'PII-A', quantity: 2 }]);
      const confirmed = await sys.orderWhen(placed.id, 'CONFIRMED', (o) => o.status === 'CONFIRMED' && o.erpOrderNumber !== null);
      const shipment = await sys.shipmentWhen(confirmed.erpOrderNumber ?? '', 'READY');
      await sys.scm.post(`/shipments/${shipment.id}/dispatch`, { carrier: 'DHL', trackingNumber: `TRK-${placed.id}` });
      const invoice = await sys.until('the invoice', async () => (await sys.invoices(confirmed.erpOrderNumber ?? ''))[0]);
      await sys.erp.post('/payments', { invoiceNumber: invoice.invoiceNumber, amount: invoice.amount });
      await sys.orderWhen(placed.id, 'PAID', (o) => o.invoice?.status === 'PAID');
    }
    const first = (await sys.crm.get<CrmCustomer[]>('/customers')).find((c) => (c as unknown as { email: string }).email === PEOPLE[0].email);
    await sys.crm.patch(`/customers/${first?.id ?? ''}`, CHANGED);

    // A customer the SCM refuses (its postal code breaks the SCM's pattern): crm-customer-to-scm dead-letters it with the SCM's answer.
    const refused = {
      ...EXAMPLE_EVENTS['switchboard.crm.CustomerCreated'], customerId: 'C-PII-REFUSED', name: REFUSED.name, email: REFUSED.email, phone: REFUSED.phone,
      billingAddress: { line1: REFUSED.line1, line2: null, city: 'Zaandijk', postalCode: '1544/ZV', country: 'NL' }, shippingAddress: null,
    };
    await bus.publish('switchboard.crm.CustomerCreated', refused.customerId, refused);
    const letters = await sys.until('the refused customer dead-lettered', async () => {
      const mine = (await bus.deadLettersOf('crm-customer-to-scm')).filter((letter) => letter.key === refused.customerId);
      return mine.length > 0 ? mine : undefined;
    });
    expect(letters.map((letter) => letter.errorCode)).toEqual(['SWB_ERR_RUNTIME_TARGET_REJECTED']);
    expect(letters[0]?.errorMessage).toContain('postalCode');
    // Everything a dead letter carries besides the event's own bytes: its headers and the runtime's swb_* fields.
    expect(found(JSON.stringify(letters.map(({ value: _value, ...carried }) => carried)), needles())).toEqual([]);

    const log = readFileSync(system.logFile, 'utf8');
    // Every process wrote to it, at debug, and about these customers' events.
    for (const process of ['[crm]', '[erp]', '[scm]', '[worker1]']) expect(log).toContain(process);
    expect(log).toMatch(/DEBUG|"level":20/);
    expect(log).toContain('dead-lettered: PUT');
    expect(found(log, needles())).toEqual([]);
  }));
});
