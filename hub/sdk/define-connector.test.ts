import { topicSpec } from '../../catalogue/index.js';
import { defineConnector, http, produce, xref, missingDependency, mappingError } from './index.js';
import { EXAMPLE_EVENTS } from '../../schemas/examples.js';

const valid = {
  name: 'crm-customer-to-erp',
  description: 'test',
  source: { topics: [topicSpec('crm', 'customer')], eventTypes: ['switchboard.crm.CustomerCreated'] as const },
  target: { system: 'erp' as const },
  map: () => [],
};

describe('defineConnector', () => {
  it('reads a captured table\'s topic (change-data capture) like a domain topic', () => {
    const connector = defineConnector({
      ...valid,
      source: { topics: ['cdc.legacy-warehouse.public.stock_levels'], eventTypes: ['switchboard.cdc.legacy_warehouse.public.stock_levels'] },
      target: { kind: 'topic' },
    });
    expect(connector.source).toEqual({ topics: ['cdc.legacy-warehouse.public.stock_levels'], eventTypes: ['switchboard.cdc.legacy_warehouse.public.stock_levels'] });
    expect(() => defineConnector({ ...valid, source: { topics: ['cdc.legacy-warehouse.public.stock_levels'], eventTypes: ['switchboard.cdc.legacy_warehouse.public.bins'] } })).toThrow(/switchboard\.cdc\.legacy_warehouse\.public\.bins is not published on cdc\.legacy-warehouse\.public\.stock_levels/);
  });

  it('takes an external HTTP target and a PostgreSQL target, and refuses malformed ones', () => {
    expect(defineConnector({ ...valid, target: { kind: 'http', name: 'partner-api', auth: 'oauth2', rateLimit: { perSecond: 5 } } }).target).toEqual({ kind: 'http', name: 'partner-api', auth: 'oauth2', rateLimit: { perSecond: 5 } });
    expect(defineConnector({ ...valid, target: { kind: 'postgres', name: 'reporting-db', table: 'reporting.customers' } }).target).toMatchObject({ kind: 'postgres' });
    const problems = () => defineConnector({ ...valid, target: { kind: 'http', name: 'Partner', auth: 'digest' as 'basic', rateLimit: { perSecond: 0 } } });
    expect(problems).toThrow(/target\.name "Partner"[\s\S]*target\.auth must be one of none, bearer, basic, oauth2[\s\S]*rateLimit\.perSecond/);
    expect(() => defineConnector({ ...valid, target: { kind: 'postgres', name: 'db', table: 'Orders; DROP' } })).toThrow(/target\.table/);
  });

  it('resolves topics to names, fills option defaults and freezes the result', () => {
    const connector = defineConnector(valid);
    expect(connector.source.topics).toEqual(['crm.customer.v1']);
    expect(connector.options.maxAttempts).toBe(5);
    expect(Object.isFrozen(connector)).toBe(true);
  });

  it('lists every problem: name, unknown topic, event type not on the topics, target, options', () => {
    const attempt = () =>
      defineConnector({
        ...valid,
        name: 'Bad Name',
        source: { topics: ['crm.nope.v1', 'crm.customer.v1'], eventTypes: ['switchboard.erp.InvoiceIssued'] },
        target: { system: 'xyz' as 'erp' },
        options: { concurrency: 0 },
      });
    expect(attempt).toThrow(/SWB|name "Bad Name"/);
    try {
      attempt();
    } catch (error) {
      const { code, problems } = error as { code: string; problems: string[] };
      expect(code).toBe('SWB_ERR_RUNTIME_DEFINITION_INVALID');
      expect(problems.join('\n')).toMatch(/name "Bad Name"/);
      expect(problems.join('\n')).toMatch(/crm\.nope\.v1 is not in topics\/catalogue\.ts/);
      expect(problems.join('\n')).toMatch(/switchboard\.erp\.InvoiceIssued is not published on crm\.customer\.v1/);
      expect(problems.join('\n')).toMatch(/target\.system/);
      expect(problems.join('\n')).toMatch(/options\.concurrency/);
    }
  });

  it('types the event by the declared event types', async () => {
    const connector = defineConnector({
      ...valid,
      source: { topics: ['crm.customer.v1'], eventTypes: ['switchboard.crm.CustomerCreated', 'switchboard.crm.CustomerUpdated'] },
      map: (event) => (event.type === 'switchboard.crm.CustomerCreated' ? [http({ method: 'POST', path: '/customers', body: { email: event.value.email } })] : []),
    });
    const value = EXAMPLE_EVENTS['switchboard.crm.CustomerCreated'];
    const metadata = { id: 'e1', source: 'crm', type: 'crm.customer.CustomerCreated', time: '', correlationId: 'c1' };
    const actions = await connector.map({ metadata, type: 'switchboard.crm.CustomerCreated', value, key: value.customerId }, { connector: 'x', attempt: 1, xref: { get: async () => undefined } });
    expect(actions).toEqual([expect.objectContaining({ kind: 'http', method: 'POST', path: '/customers', body: { email: value.email } })]);
  });
});

describe('action builders', () => {
  it('build plain, frozen actions', () => {
    expect(produce({ eventType: 'switchboard.erp.PriceChanged', key: 'SKU-1', value: EXAMPLE_EVENTS['switchboard.erp.PriceChanged'] })).toMatchObject({ kind: 'produce', key: 'SKU-1' });
    expect(xref.put('order', { crm: 'O-1', erp: 'SO-1' })).toEqual({ kind: 'xref.put', objectKind: 'order', ids: { crm: 'O-1', erp: 'SO-1' } });
  });

  it('refuse malformed actions as mapping errors (dead-lettered, not retried)', () => {
    expect(() => http({ method: 'GET', path: 'no-slash' })).toThrow(expect.objectContaining({ code: 'SWB_ERR_RUNTIME_MAPPING', retriable: false }));
    expect(() => xref.put('order', { crm: 'O-1' })).toThrow(expect.objectContaining({ code: 'SWB_ERR_RUNTIME_MAPPING' }));
  });

  it('missingDependency is retriable, mappingError is not', () => {
    expect(missingDependency('no account yet')).toMatchObject({ code: 'SWB_ERR_RUNTIME_MISSING_DEPENDENCY', retriable: true });
    expect(mappingError('bad')).toMatchObject({ code: 'SWB_ERR_RUNTIME_MAPPING', retriable: false });
  });
});
