import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { callJson, eventually, useConnectorRig } from '../../tests/kit/index.js';
import { loadDeclarativeConnector } from '../../hub/declarative/index.js';

const connector = loadDeclarativeConnector(new URL('./connector.yaml', import.meta.url));

interface Consignee { id: string; crmCustomerId: string; name: string; address: { line1: string; line2: string | null; city: string } }

const created = EXAMPLE_EVENTS['switchboard.crm.CustomerCreated'];
const updated = EXAMPLE_EVENTS['switchboard.crm.CustomerUpdated'];

describe('crm-customer-to-scm against the real SCM, through the runtime', () => {
  const rig = useConnectorRig('scm', connector, 'c2');

  const consignees = async (): Promise<Consignee[]> => (await callJson(rig.url, 'GET', '/consignees')).body as Consignee[];

  it('creates one consignee with the shipping address, even when the event comes twice, and records the cross-reference', async () => {
    const first = await rig.stack.publish('switchboard.crm.CustomerCreated', created.customerId, created);
    await rig.stack.publish('switchboard.crm.CustomerCreated', created.customerId, created, { id: first.id });
    const consignee = await eventually(async () => (await consignees()).find((candidate) => candidate.crmCustomerId === 'C-1017'), 30000, 'the consignee');
    expect(consignee).toMatchObject({ name: 'Nordlicht Möbel GmbH', address: { line1: 'Lagerweg 3', line2: 'Tor 4', city: 'Bremen' } });
    expect(await eventually(() => rig.stack.services.xref.get('customer', 'crm', 'C-1017', 'scm'), 30000, 'the cross-reference')).toBe(consignee.id);
  });

  it('moves the consignee to the billing address when the shipping address is removed, keeping its id', async () => {
    const before = (await consignees())[0] as Consignee;
    await rig.stack.publish('switchboard.crm.CustomerUpdated', updated.customerId, updated);
    const after = await eventually(async () => (await consignees()).find((candidate) => candidate.address.city === 'Hamburg'), 30000, 'the new address');
    expect(after).toMatchObject({ id: before.id, address: { line1: 'Hafenstraße 12', line2: null } });
    // Same key: the duplicate of the first test was handled before this update.
    expect(await consignees()).toHaveLength(1);
    expect(await rig.stack.deadLetters.list(connector.name)).toEqual([]);
  });
});
