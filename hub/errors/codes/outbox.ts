import { defineArea } from './define.js';

/** The transactional outbox and its relay (hub/outbox). */
export const OUTBOX = defineArea('OUTBOX', 'The transactional outbox and the relay that publishes it to Kafka (shown in the relay\'s status).', {
  ROW_UNPUBLISHABLE: { status: null, retriable: false, description: 'An outbox row cannot become a Kafka record (unknown event type, payload not JSON or not matching its schema); the relay halts before it. Fix the service that wrote it.' },
  UNEXPECTED: { status: null, retriable: false, description: 'The relay failed with an error it does not know; it halts and looks again later. The service log has the details.' },
});
