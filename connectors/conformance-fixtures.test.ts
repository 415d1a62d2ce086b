import { CONFORMANCE_FIXTURES } from './conformance-fixtures.js';
import { CONNECTORS } from './index.js';

describe('the conformance table', () => {
  it('has an entry for every registered connector and none for a connector that does not exist', () => {
    expect(Object.keys(CONFORMANCE_FIXTURES).sort()).toEqual(CONNECTORS.map((connector) => connector.name).sort());
  });

  it('gives each connector events it handles, keyed by the requested key', () => {
    for (const connector of CONNECTORS) {
      const events = CONFORMANCE_FIXTURES[connector.name].events('K-7', 3);
      expect(events).toHaveLength(3);
      for (const event of events) expect(connector.source.eventTypes).toContain(event.eventType);
    }
  });
});
