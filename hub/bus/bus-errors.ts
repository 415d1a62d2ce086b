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
