import { defineArea } from './define.js';

/** The hub's shared state in Redis (hub/state): completed keys, parked keys, cross-references, applied positions. */
export const STATE = defineArea('STATE', 'The hub\'s state in Redis (hub/state): completed keys, parked keys, cross-reference lookups, applied positions.', {
  UNAVAILABLE: { status: null, retriable: true, description: 'Redis did not answer (connection lost, refused, timed out, loading); the worker waits and tries the same step again, nothing is dead-lettered for it. Check Redis.' },
});
