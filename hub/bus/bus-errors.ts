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
  for (let current: unknown = error, depth = 0; current && depth < 8; depth++) {
    const { type, name, cause } = current as { type?: unknown; name?: unknown; cause?: unknown };
    if (typeof type === 'string' && /AUTHORIZATION_FAILED$|SASL_AUTHENTICATION_FAILED$/.test(type)) return type;
    if (name === 'KafkaJSSASLAuthenticationError') return 'SASL_AUTHENTICATION_FAILED';
    current = cause;
  }
  return undefined;
}

/** `error` as a BusAccessDeniedError when Kafka refused the principal (`what` names the operation), else unchanged. */
export function asAccessDenied(error: unknown, what: string): unknown {
  const denial = accessDenial(error);
  return denial ? new BusAccessDeniedError(denial, `Kafka refused ${what}: ${denial}`, error) : error;
}
