import { ERRORS, SwitchboardError } from '../../errors/index.js';

/**
 * Bytes that cannot be decoded: not Confluent wire format (no magic byte 0, shorter than the
 * 5-byte header), an Avro body that does not match its writer schema, or a writer schema that
 * cannot be parsed. Not retriable: the same bytes will fail again (dead-letter them).
 */
export class CodecUndecodableError extends SwitchboardError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(ERRORS.CODEC_UNDECODABLE.code, message, options);
  }
}

/** The writer schema of a message cannot be read as the reader schema (Avro resolution refused it). Not retriable. */
export class CodecSchemaMismatchError extends SwitchboardError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(ERRORS.CODEC_SCHEMA_MISMATCH.code, message, options);
  }
}

/** A value does not match the schema it is encoded with; the message names the fields. Not retriable. */
export class CodecInvalidValueError extends SwitchboardError {
  constructor(
    message: string,
    readonly problems: readonly string[],
    options: { cause?: unknown } = {},
  ) {
    super(ERRORS.CODEC_INVALID_VALUE.code, message, options);
  }
}

/** Encoding for a subject the codec has no schema for (not in `schemas/`, not defined). Not retriable. */
export class CodecUnknownSubjectError extends SwitchboardError {
  constructor(subject: string) {
    super(ERRORS.CODEC_UNKNOWN_SUBJECT.code, `no schema for subject ${subject}: it is not an event of schemas/ and was not defined with codec.defineSubject()`);
  }
}
