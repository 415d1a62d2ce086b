import { topicSpec } from '../../catalogue/index.js';
import type { AclGrant } from '../bus/index.js';
import { defineConnector } from '../sdk/index.js';
import { kafkaPrincipals } from './kafka-principals.js';

const orders = defineConnector({
  name: 'crm-order-to-erp',
  description: 'orders to the ERP',
  source: { topics: [topicSpec('crm', 'order')], eventTypes: ['switchboard.crm.OrderPlaced'] },
  target: { system: 'erp' },
  map: () => [],
});

/** `operation` on `name` (a topic or group) for `username`, literal or by prefix. */
function allows(grants: readonly AclGrant[], resource: AclGrant['resource'], name: string, operation: AclGrant['operations'][number]): boolean {
  return grants.some((grant) => grant.resource === resource
    && (grant.pattern === 'prefixed' ? name.startsWith(grant.name) : grant.name === name)
    && grant.operations.includes(operation));
}

describe('kafkaPrincipals', () => {
  const principals = kafkaPrincipals({ connectors: [orders], prefix: 't1.' });
  const of = (username: string) => {
    const principal = principals.find((p) => p.username === username);
    if (!principal) throw new Error(`no principal ${username}`);
    return principal.grants;
  };

  it('has one principal per service, connector, the worker, the registry and the admin API, and cdc only when asked', () => {
    expect(principals.map((p) => p.username)).toEqual(['svc-crm', 'svc-erp', 'svc-scm', 'connector-crm-order-to-erp', 'worker', 'registry', 'console']);
    expect(kafkaPrincipals({ connectors: [], prefix: '', cdc: true }).map((p) => p.username)).toContain('cdc');
    const withWebhooks = kafkaPrincipals({ connectors: [], prefix: 't1.', webhooks: ['switchboard.crm.OrderPlaced', 'switchboard.crm.OrderPlaced'] });
    // The webhooks process may write only the topics its sources' event types belong to.
    expect(withWebhooks.find((p) => p.username === 'webhooks')?.grants.map((grant) => `${grant.name}:${grant.operations.join()}`)).toEqual(['t1.crm.order.v1:write']);
    for (const principal of principals) expect(principal.grants.every((grant) => grant.principal === `User:${principal.username}`)).toBe(true);
  });

  it('lets a service write only its own topics, behind the prefix', () => {
    const crm = of('svc-crm');
    expect(allows(crm, 'topic', 't1.crm.order.v1', 'write')).toBe(true);
    expect(allows(crm, 'topic', 'crm.order.v1', 'write')).toBe(false);
    expect(allows(crm, 'topic', 't1.erp.sales-order.v1', 'write')).toBe(false);
    expect(crm.every((grant) => grant.resource === 'topic' && grant.name.startsWith('t1.crm.') && grant.operations.join() === 'write')).toBe(true);
  });

  it('lets a connector read only its sources, and write only its retry and dead-letter topics, in its own groups', () => {
    const connector = of('connector-crm-order-to-erp');
    expect(allows(connector, 'topic', 't1.crm.order.v1', 'read')).toBe(true);
    expect(allows(connector, 'topic', 't1.crm.customer.v1', 'read')).toBe(false);
    expect(allows(connector, 'topic', 't1.erp.sales-order.v1', 'read')).toBe(false);
    expect(allows(connector, 'topic', 't1.crm.order.v1', 'write')).toBe(false);
    expect(allows(connector, 'topic', 't1.switchboard.retry.crm-order-to-erp', 'write')).toBe(true);
    expect(allows(connector, 'topic', 't1.switchboard.dlq.crm-order-to-erp', 'write')).toBe(true);
    expect(allows(connector, 'topic', 't1.switchboard.dlq.other', 'write')).toBe(false);
    expect(allows(connector, 'group', 't1.switchboard.connector.crm-order-to-erp', 'read')).toBe(true);
    expect(allows(connector, 'group', 't1.switchboard.connector.crm-order-to-erp.retry', 'read')).toBe(true);
    expect(connector.some((grant) => grant.pattern === 'prefixed')).toBe(false);
    expect(connector.some((grant) => grant.resource === 'cluster')).toBe(false);
  });

  it('keeps the registry to its store and election, the worker to the cross-references', () => {
    expect(allows(of('registry'), 'topic', 't1._schemas', 'write')).toBe(true);
    expect(allows(of('registry'), 'group', 'switchboard-schema-registry.t1._schemas', 'read')).toBe(true);
    expect(allows(of('registry'), 'topic', 't1.crm.order.v1', 'read')).toBe(false);
    expect(allows(of('worker'), 'topic', 't1.switchboard.xref', 'write')).toBe(true);
    expect(allows(of('worker'), 'topic', 't1.crm.order.v1', 'read')).toBe(false);
  });

  it('lets the admin API read what it shows and replay into retry topics, but write no domain topic', () => {
    const console = of('console');
    expect(allows(console, 'topic', 't1.crm.order.v1', 'read')).toBe(true);
    expect(allows(console, 'topic', 't1.switchboard.dlq.crm-order-to-erp', 'read')).toBe(true);
    expect(allows(console, 'topic', 't1.switchboard.retry.crm-order-to-erp', 'write')).toBe(true);
    expect(allows(console, 'topic', 't1.switchboard.audit', 'write')).toBe(true);
    expect(allows(console, 'topic', 't1.crm.order.v1', 'write')).toBe(false);
    expect(allows(console, 'group', 't1.switchboard.connector.crm-order-to-erp', 'describe')).toBe(true);
  });
  it('lets a topic-target connector write only the topics of the event types it declares', () => {
    const stock = defineConnector({
      name: 'stock-relay',
      description: 'stock levels to the SCM',
      source: { topics: [topicSpec('erp', 'sales-order')], eventTypes: ['switchboard.erp.SalesOrderConfirmed'] },
      target: { kind: 'topic', produces: ['switchboard.scm.StockMoved'] },
      map: () => [],
    });
    const undeclared = defineConnector({ ...stock, name: 'anything-relay', target: { kind: 'topic' } });
    const grants = kafkaPrincipals({ connectors: [stock, undeclared], prefix: 't1.' });
    const writes = (username: string) => (grants.find((p) => p.username === username)?.grants ?? [])
      .filter((grant) => grant.resource === 'topic' && grant.operations.includes('write') && !grant.name.startsWith('t1.switchboard.'))
      .map((grant) => grant.name);
    expect(writes('connector-stock-relay')).toEqual(['t1.scm.stock.v1']);
    // Without a declaration it may write any domain topic but its own sources.
    expect(writes('connector-anything-relay')).toContain('t1.crm.order.v1');
    expect(writes('connector-anything-relay')).not.toContain('t1.erp.sales-order.v1');
  });
});
