import { defineArea } from './define.js';

/** Signed webhooks received by `switchboard webhooks` (hub/adapters/webhooks). */
export const WEBHOOK = defineArea('WEBHOOK', 'Signed webhooks received by `switchboard webhooks` and stored as events before they are acknowledged. A sender retries what was not answered 2xx.', {
  UNKNOWN_SOURCE: { status: 404, retriable: false, description: 'No webhook source of that name is configured (a file in WEBHOOKS_DIR); check the URL the sender calls.' },
  SIGNATURE_INVALID: { status: 401, retriable: false, description: 'The signature header is missing or does not match the body signed with the source\'s secret; check the secret on both sides.' },
  TIMESTAMP_OUTSIDE_TOLERANCE: { status: 401, retriable: false, description: 'The signed timestamp is missing or further from now than the source\'s tolerance: a replayed or delayed delivery, or a clock that is off.' },
  BODY_NOT_JSON: { status: 400, retriable: false, description: 'The body is not JSON (or not UTF-8); the sender must send application/json.' },
  DELIVERY_ID_MISSING: { status: 400, retriable: false, description: 'The delivery id the source is configured to read (a header or a payload field) is missing, so repeats could not be recognised.' },
  PAYLOAD_INVALID: { status: 422, retriable: false, description: 'The payload breaks the source\'s JSON Schema or maps to an event its Avro schema refuses; the answer names the field.' },
  SOURCE_INVALID: { status: null, retriable: false, description: 'A webhook source file breaks a rule (schema, JSONata syntax, unknown event type); the problems are listed with their lines and the process does not start.' },
});
