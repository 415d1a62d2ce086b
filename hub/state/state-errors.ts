import { ERRORS, SwitchboardError } from '../errors/index.js';

/**
 * Redis did not answer a state operation: the connection is lost or refused, a command timed
 * out, or the server is loading. Retriable (`SWB_ERR_STATE_UNAVAILABLE`): the runtime waits for
 * Redis and tries the same step again instead of dead-lettering an event that did nothing wrong.
 */
export class StateUnavailableError extends SwitchboardError {
  /** What was being done, e.g. `completed-key check`. */
  readonly operation: string;
  constructor(operation: string, cause: unknown) {
    super(ERRORS.STATE_UNAVAILABLE.code, `redis unavailable during ${operation}: ${describe(cause)}`, { cause });
    this.operation = operation;
  }
}

/** Redis replies that say "not now" rather than "wrong command": the server is starting, failing over or busy. */
const TRANSIENT_REPLY = /^(LOADING|BUSY|TRYAGAIN|CLUSTERDOWN|MASTERDOWN|READONLY|NOREPLICAS)\b/;

const PROGRAMMING_ERRORS = new Set(['TypeError', 'RangeError', 'ReferenceError', 'SyntaxError']);

/**
 * True when `error`, thrown by an ioredis call, means Redis is unavailable: anything but a
 * reply (a reply is Redis answering, e.g. WRONGTYPE, which retrying cannot fix), except the
 * replies of a server that is loading or failing over. Connection errors, ioredis's
 * MaxRetriesPerRequestError, "Connection is closed." and "Command timed out" all count.
 */
export function isRedisUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, message } = error as { name?: unknown; message?: unknown };
  if (typeof name === 'string' && PROGRAMMING_ERRORS.has(name)) return false;
  if (name === 'ReplyError') return typeof message === 'string' && TRANSIENT_REPLY.test(message);
  return true;
}

/**
 * Runs one Redis operation of the hub's state; an unavailable Redis surfaces as a
 * StateUnavailableError naming `operation`, any other failure unchanged.
 *
 * @example
 * ```ts
 * const done = await stateCall('completed-key check', () => redis.exists(key));
 * ```
 */
export async function stateCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw isRedisUnavailable(error) ? new StateUnavailableError(operation, error) : error;
  }
}

function describe(cause: unknown): string {
  const { message, code } = (cause ?? {}) as { message?: unknown; code?: unknown };
  const text = typeof message === 'string' ? message : String(cause);
  return typeof code === 'string' && !text.includes(code) ? `${code} ${text}` : text;
}
