import { defineArea } from './define.js';

/** The `Idempotency-Key` header of a service's commands (hub/service). */
export const IDEMPOTENCY = defineArea('IDEMPOTENCY', 'The Idempotency-Key header of a service\'s commands.', {
  KEY_INVALID: { status: 400, retriable: false, description: 'Idempotency-Key is not 1 to 255 visible ASCII characters; send a valid key (a UUID, say).' },
  KEY_REUSED: { status: 422, retriable: false, description: 'Idempotency-Key was already used for a different request; use a new key for a new request.' },
});
