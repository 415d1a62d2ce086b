/** The conformance kit run against the runtime's two test connectors (HTTP target, topic to topic). */
import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { runConformanceSuite } from './conformance.js';
import { httpTestConnector, orderPlaced, topicTestConnector } from './test-connectors.js';

runConformanceSuite(httpTestConnector('kit-http'), {
  events: (key, count) => Array.from({ length: count }, (_, i) => ({ eventType: 'switchboard.crm.OrderPlaced', value: orderPlaced(key, i + 1) })),
});

runConformanceSuite(topicTestConnector('kit-topic'), {
  produces: ['switchboard.erp.CustomerAccountOpened'],
  events: (key, count) =>
    Array.from({ length: count }, (_, i) => ({
      eventType: 'switchboard.crm.CustomerCreated',
      value: { ...EXAMPLE_EVENTS['switchboard.crm.CustomerCreated'], customerId: key, name: `${key} v${i + 1}` },
    })),
});
