import { SwitchboardError } from '../errors/index.js';

/** A produce that did not reach the broker's acknowledgement; the message may be sent again. */
export class PublishError extends SwitchboardError {
  constructor(message: string, cause: unknown) {
    super('SWB_ERR_BUS_PUBLISH', message, { retriable: true, cause });
  }
}

/** Metadata headers missing or malformed on a consumed record; retrying cannot fix it. */
export class InvalidHeadersError extends SwitchboardError {
  readonly header: string;
  constructor(header: string, message: string) {
    super('SWB_ERR_BUS_HEADERS_INVALID', message, { retriable: false });
    this.header = header;
  }
}

/** The producer was closed; sends after close are refused. */
export class ProducerClosedError extends SwitchboardError {
  constructor() {
    super('SWB_ERR_BUS_PRODUCER_CLOSED', 'the producer is closed', { retriable: false });
  }
}

/**
 * Handling of a record was abandoned because the consumer is stopping (or lost the partition);
 * the record is not committed and is delivered again to whoever owns the partition next.
 */
export class ConsumerStoppingError extends SwitchboardError {
  constructor() {
    super('SWB_ERR_BUS_CONSUMER_STOPPING', 'the consumer is stopping', { retriable: true });
  }
}
