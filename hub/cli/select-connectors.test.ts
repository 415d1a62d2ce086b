import { ERRORS, isSwitchboardError } from '../errors/index.js';
import type { ConnectorDefinition } from '../sdk/types.js';
import { UnknownConnectorError, selectConnectors } from './select-connectors.js';

// Only the names matter to the selection.
const registered = ['crm-order-to-erp', 'erp-order-to-scm', 'crm-customer-to-erp'].map((name) => ({ name }) as unknown as ConnectorDefinition);

describe('selectConnectors', () => {
  it('gives every registered connector when none is named, and the named ones in registry order otherwise', () => {
    expect(selectConnectors(registered, []).map((c) => c.name)).toEqual(['crm-order-to-erp', 'erp-order-to-scm', 'crm-customer-to-erp']);
    expect(selectConnectors(registered, ['crm-customer-to-erp', 'crm-order-to-erp']).map((c) => c.name)).toEqual(['crm-order-to-erp', 'crm-customer-to-erp']);
  });

  it('refuses an unknown name with the unknown-connector code, naming it and the known ones', () => {
    let thrown: unknown;
    try {
      selectConnectors(registered, ['crm-order-to-erp', 'no-such-connector']);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UnknownConnectorError);
    expect(isSwitchboardError(thrown) && thrown.code).toBe(ERRORS.RUNTIME_UNKNOWN_CONNECTOR.code);
    expect((thrown as Error).message).toContain('no-such-connector; known: crm-order-to-erp, erp-order-to-scm, crm-customer-to-erp');
  });
});
