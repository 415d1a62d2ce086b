/** The conformance suite, run against the real stack for every registered connector, from one table. */
import { runConformanceSuite } from '../tests/kit/index.js';
import { CONFORMANCE_FIXTURES } from './conformance-fixtures.js';
import { CONNECTORS } from './index.js';

for (const connector of CONNECTORS) {
  const fixtures = CONFORMANCE_FIXTURES[connector.name];
  if (!fixtures) throw new Error(`connectors/conformance-fixtures.ts has no entry for ${connector.name}`);
  runConformanceSuite(connector, fixtures);
}
