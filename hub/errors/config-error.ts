import { ERRORS } from './codes.js';
import { SwitchboardError } from './switchboard-error.js';

/** Configuration that cannot be used; the message tells the user which variable to set. */
export class ConfigError extends SwitchboardError {
  constructor(message: string) {
    super(ERRORS.CONFIG_INVALID.code, message);
  }
}
