import { defineArea } from './define.js';

/** Avro encoding and decoding in the Confluent wire format (hub/schema/codec, decimals). */
export const CODEC = defineArea('CODEC', 'Avro encoding and decoding in the Confluent wire format.', {
  UNDECODABLE: { status: null, retriable: false, description: 'Bytes are not Confluent wire format, do not match their writer schema, or the writer schema cannot be parsed; the record is dead-lettered, fix its producer.' },
  SCHEMA_MISMATCH: { status: null, retriable: false, description: 'A record\'s writer schema cannot be read as the expected event schema (or is no event of schemas/); check the schema evolution.' },
  INVALID_VALUE: { status: null, retriable: false, description: 'A value does not match the schema it is encoded with; the message names the fields. Fix the code that built it.' },
  UNKNOWN_SUBJECT: { status: null, retriable: false, description: 'Encoding for a subject the codec has no schema for; add the event to schemas/ or define the subject.' },
  DECIMAL_INVALID: { status: null, retriable: false, description: 'A decimal is not a decimal string, or has more digits than its schema\'s scale or precision allow; fix the value.' },
});
