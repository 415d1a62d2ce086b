import { defineArea } from './define.js';

/** Request bodies, parameters and query strings that break a route's JSON schema (hub/service). */
export const VALIDATION = defineArea('VALIDATION', 'Request bodies, parameters and query strings that break a route\'s JSON schema; `field` names the input at fault.', {
  REQUIRED: { status: 400, retriable: false, description: 'A required field is missing (or an object is empty); send it.' },
  UNKNOWN_FIELD: { status: 400, retriable: false, description: 'A field the route does not know; remove it or check its spelling.' },
  TYPE: { status: 400, retriable: false, description: 'A field has the wrong JSON type (e.g. "5" for the integer 5); send the documented type.' },
  FORMAT: { status: 400, retriable: false, description: 'A field does not have its format (e-mail, date-time, ...); fix the value.' },
  NOT_ALLOWED: { status: 400, retriable: false, description: 'A value outside the allowed set; the message lists the allowed values.' },
  PATTERN: { status: 400, retriable: false, description: 'A value does not match the field\'s pattern (ids, SKUs, currency codes, ...); fix the value.' },
  RANGE: { status: 400, retriable: false, description: 'A number outside the field\'s minimum or maximum; fix the value.' },
  LENGTH: { status: 400, retriable: false, description: 'A string or list shorter or longer than the field allows; fix the value.' },
  INVALID: { status: 400, retriable: false, description: 'A value breaks another rule of the route\'s schema; the message says which.' },
});
