import { ERRORS, SwitchboardError } from '../errors/index.js';

/** A produce that did not reach the broker's acknowledgement; the message may be sent again. */
export class PublishError extends SwitchboardError {
  constructor(message: string, cause: unknown) {
    super(ERRORS.BUS_PUBLISH.code, message, { cause });
  }
}

/** Metadata headers missing or malformed on a consumed record; retrying cannot fix it. */
export class InvalidHeadersError extends SwitchboardError {
  readonly header: string;
  constructor(header: string, message: string) {
    super(ERRORS.BUS_HEADERS_INVALID.code, message);
    this.header = header;
  }
}

/** The producer was closed; sends after close are refused. */
export class ProducerClosedError extends SwitchboardError {
  constructor() {
    super(ERRORS.BUS_PRODUCER_CLOSED.code, 'the producer is closed');
  }
}

/**
 * Handling of a record was abandoned because the consumer is stopping (or lost the partition);
 * the record is not committed and is delivered again to whoever owns the partition next.
 */
export class ConsumerStoppingError extends SwitchboardError {
  constructor() {
    super(ERRORS.BUS_CONSUMER_STOPPING.code, 'the consumer is stopping');
  }
}

/**
 * Kafka refused this client: its SASL login failed, or an ACL does not allow the operation
 * (e.g. TOPIC_AUTHORIZATION_FAILED). Never retriable: retrying cannot grant a permission.
 */
export class BusAccessDeniedError extends SwitchboardError {
  /** Kafka's name of the refusal, e.g. `TOPIC_AUTHORIZATION_FAILED` or `SASL_AUTHENTICATION_FAILED`. */
  readonly kafkaError: string;
  constructor(kafkaError: string, message: string, cause: unknown) {
    super(ERRORS.BUS_ACCESS_DENIED.code, message, { cause });
    this.kafkaError = kafkaError;
  }
}

/**
 * The refusal behind a kafkajs error, when it is one (an authorization or authentication
 * failure anywhere in its cause chain), else undefined.
 */
export function accessDenial(error: unknown): string | undefined {
  for (const { type, name } of causeChain(error)) {
    if (typeof type === 'string' && /AUTHORIZATION_FAILED$|SASL_AUTHENTICATION_FAILED$/.test(type)) return type;
    if (name === 'KafkaJSSASLAuthenticationError') return 'SASL_AUTHENTICATION_FAILED';
  }
  return undefined;
}

/** One error of a cause chain, duck-typed: kafkajs's errors carry Kafka's error name in `type`. */
export interface CauseLink {
  readonly message?: unknown;
  readonly name?: unknown;
  readonly type?: unknown;
  readonly cause?: unknown;
}

/**
 * `error` and the errors it wraps through `cause`, outermost first, at most 8 deep (a guard
 * against a cycle). Duck-typed, since kafkajs's errors and ours both set `cause`.
 *
 * @example
 * ```ts
 * causeChain(publishError).map((link) => link.type); // [undefined, undefined, 'NOT_LEADER_FOR_PARTITION']
 * ```
 */
export function causeChain(error: unknown): CauseLink[] {
  const chain: CauseLink[] = [];
  for (let current: unknown = error; current && chain.length < 8; current = (current as CauseLink).cause) chain.push(current as CauseLink);
  return chain;
}

/** `error` as a BusAccessDeniedError when Kafka refused the principal (`what` names the operation), else unchanged. */
export function asAccessDenied(error: unknown, what: string): unknown {
  const denial = accessDenial(error);
  return denial ? new BusAccessDeniedError(denial, `Kafka refused ${what}: ${denial}`, error) : error;
}
