/** Retry timing shared by every Switchboard loop: exponential backoff with jitter. */
export { Backoff, backoffDelay, sleep, type BackoffOptions } from './backoff.js';
