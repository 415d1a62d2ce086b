import { topicSpec } from '../../catalogue/index.js';
import { defineConnector } from '../sdk/index.js';
import { loadWorkerOverrides, withOverrides } from './worker-overrides.js';

describe('worker overrides', () => {
  it('reads WORKER_STALL_TIMEOUT_MS and WORKER_MISSING_DEPENDENCY_DEADLINE_MS, and nothing when they are unset', () => {
    expect(loadWorkerOverrides({ WORKER_STALL_TIMEOUT_MS: '10000', WORKER_MISSING_DEPENDENCY_DEADLINE_MS: '5000' })).toEqual({ stallTimeoutMs: 10000, missingDependencyDeadlineMs: 5000 });
    expect(loadWorkerOverrides({})).toEqual({});
  });

  it('refuses a value that is not a positive integer, naming the variable', () => {
    expect(() => loadWorkerOverrides({ WORKER_STALL_TIMEOUT_MS: 'soon' })).toThrow(/WORKER_STALL_TIMEOUT_MS/);
    expect(() => loadWorkerOverrides({ WORKER_MISSING_DEPENDENCY_DEADLINE_MS: '0' })).toThrow(/WORKER_MISSING_DEPENDENCY_DEADLINE_MS/);
  });

  it('replaces only the overridden options of a connector and keeps its mapping', () => {
    const connector = defineConnector({
      name: 'crm-customer-to-erp',
      description: 'a connector to override',
      source: { topics: [topicSpec('crm', 'customer')], eventTypes: ['switchboard.crm.CustomerCreated'] },
      target: { system: 'erp' },
      options: { stallTimeoutMs: 90_000 },
      map: () => [],
    });
    const changed = withOverrides(connector, { stallTimeoutMs: 1234 });
    expect(changed.options).toEqual({ ...connector.options, stallTimeoutMs: 1234 });
    expect(changed.map).toBe(connector.map);
    expect(changed.name).toBe(connector.name);
    expect(withOverrides(connector, {})).toBe(connector);
  });
});
