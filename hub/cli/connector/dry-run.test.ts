import { loadDeclarativeConnector } from '../../declarative/index.js';
import { EXAMPLE_EVENTS } from '../../../schemas/examples.js';
import { dryRun } from './dry-run.js';

const orderToScm = loadDeclarativeConnector(new URL('../../../connectors/erp-order-to-scm/connector.yaml', import.meta.url));
const customerToScm = loadDeclarativeConnector(new URL('../../../connectors/crm-customer-to-scm/connector.yaml', import.meta.url));
const cancelled = { ...EXAMPLE_EVENTS['switchboard.erp.SalesOrderCancelled'], salesOrderNumber: 'SO-1', crmOrderId: 'O-1' };
const created = EXAMPLE_EVENTS['switchboard.crm.CustomerCreated'];

describe('connector test (dryRun)', () => {
  it('reads the given cross-references, also through the third system', async () => {
    const xrefs = [{ kind: 'order' as const, ids: { crm: 'O-1', erp: 'SO-1' } }, { kind: 'order' as const, ids: { crm: 'O-1', scm: 'SH-9' } }];
    expect(await dryRun(orderToScm, { type: 'switchboard.erp.SalesOrderCancelled', value: cancelled }, xrefs)).toEqual({
      ok: true, output: [{ kind: 'http', method: 'POST', path: '/shipments/SH-9/cancel', body: {}, okStatuses: [422] }],
    });
    expect(await dryRun(orderToScm, { type: 'switchboard.erp.SalesOrderCancelled', value: cancelled }, [])).toEqual({ ok: true, output: [] });
  });

  it('shows how an answer is judged and what follows it, and a failure as the runtime classifies it', async () => {
    const event = { type: 'switchboard.crm.CustomerCreated', value: created };
    const { output } = await dryRun(customerToScm, event, [], { status: 201, body: { id: 'K-9' } });
    expect(output).toMatchObject([{ method: 'PUT', path: '/consignees/C-1017', answer: { status: 201, judged: 'defaults' }, then: [{ kind: 'xref.put', ids: { crm: 'C-1017', scm: 'K-9' } }] }]);
    expect(await dryRun(customerToScm, event, [], { status: 201, body: {} })).toEqual({
      ok: false, output: { error: { code: 'SWB_ERR_RUNTIME_MAPPING', retriable: false, message: expect.stringContaining('the SCM id (response.body.id) is missing') } },
    });
    expect((await dryRun(customerToScm, event, [])).output).toMatchObject([{ onResponse: expect.stringContaining('--response') }]);
  });

  it('refuses an event the connector does not handle, or a value that is not valid for its schema', async () => {
    await expect(dryRun(customerToScm, { type: 'switchboard.crm.OrderPlaced', value: EXAMPLE_EVENTS['switchboard.crm.OrderPlaced'] }, [])).rejects.toThrow(/does not handle switchboard\.crm\.OrderPlaced/);
    await expect(dryRun(customerToScm, { type: 'switchboard.crm.CustomerCreated', value: { ...created, name: 42 } }, [])).rejects.toThrow(/not a valid switchboard\.crm\.CustomerCreated: name: 42/);
    await expect(dryRun(customerToScm, created, [])).rejects.toThrow(/give the event as \{ "type"/);
  });
});
