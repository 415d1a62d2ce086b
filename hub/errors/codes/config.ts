import { defineArea } from './define.js';

/** Configuration read from the environment (hub/config). */
export const CONFIG = defineArea('CONFIG', 'Configuration read from the environment when a process starts.', {
  INVALID: { status: null, retriable: false, description: 'A setting cannot be used; the message names the environment variables to set or fix.' },
});
