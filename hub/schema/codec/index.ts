export { AvroCodec, MAGIC_BYTE, HEADER_SIZE } from './avro-codec.js';
export type { AvroCodecOptions, Decoded, DecodedEvent } from './avro-codec.js';
export { CodecUndecodableError, CodecSchemaMismatchError, CodecInvalidValueError, CodecUnknownSubjectError } from './errors.js';
