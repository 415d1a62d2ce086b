export { SwitchboardError, isSwitchboardError, isRetriable } from './switchboard-error.js';
export { ConfigError } from './config-error.js';
