/**
 * The one list of what counts as personal data or a secret in Switchboard's payloads, by field
 * name. The logger redacts these fields wherever they appear in a logged object; the connector
 * runtime masks their submitted values in whatever a target answers before the answer becomes a
 * log line or a dead-letter reason (`maskPersonalValues`).
 */

/** Fields whose values identify or locate a person: names, contact details, addresses. */
export const PERSONAL_FIELDS: readonly string[] = Object.freeze([
  'name', 'customerName', 'email', 'phone', 'receivedBy',
  'line1', 'line2', 'city', 'postalCode',
  'address', 'billingAddress', 'shippingAddress', 'shipTo',
]);

/** Fields that hold secrets. */
export const SECRET_FIELDS: readonly string[] = Object.freeze([
  'password', 'token', 'secret', 'authorization', 'sasl', 'credentials', 'apiKey',
]);

/** Fields that hold whole payloads (request bodies, event values), which carry personal data. */
export const PAYLOAD_FIELDS: readonly string[] = Object.freeze(['payload', 'body', 'value']);

const E_MAIL = /[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+\.[A-Za-z]{2,}/g;

/** Every string value of a personal field in `value`, at any depth (objects and arrays). */
export function personalValues(value: unknown, personal = false): string[] {
  if (typeof value === 'string') return personal ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((item) => personalValues(item, personal));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([key, item]) => personalValues(item, personal || PERSONAL_FIELDS.includes(key)));
  }
  return [];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * `text` with every e-mail address, every personal value (of three or more characters) of `sent` (the request body the text
 * answers) and every word of four or more characters of those values replaced by `[redacted]`,
 * case-insensitively. What a target echoes of a submitted name, e-mail, phone or address line
 * therefore never reaches a log or a dead-letter header.
 *
 * @example
 * ```ts
 * maskPersonalValues('name "Ada Lovelace" is taken', { name: 'Ada Lovelace' }); // 'name "[redacted]" is taken'
 * ```
 */
export function maskPersonalValues(text: string, sent: unknown): string {
  const values = personalValues(sent).map((value) => value.trim()).filter((value) => value.length >= 3);
  const words = values.flatMap((value) => value.split(/[\s,;:/()"']+/)).filter((word) => word.length >= 4);
  // Longest first, so a whole value is masked before its words.
  const needles = [...new Set([...values, ...words])].sort((a, b) => b.length - a.length);
  let masked = text.replace(E_MAIL, '[redacted]');
  for (const needle of needles) masked = masked.replace(new RegExp(escapeRegExp(needle), 'gi'), '[redacted]');
  return masked;
}

/**
 * pino redaction paths of these fields, at the top of a logged object and one level down. `name`
 * is left to its owners (`customer.name`, `consignee.name`): elsewhere it names a process, a
 * topic or an error class.
 */
export function redactionPaths(): string[] {
  const fields = [...SECRET_FIELDS, ...PERSONAL_FIELDS.filter((field) => field !== 'name'), ...PAYLOAD_FIELDS.filter((field) => field !== 'value')];
  return [...fields.flatMap((field) => [field, `*.${field}`]), 'customer.name', 'consignee.name', 'account.name', 'req.headers.authorization', 'req.headers["x-operator-token"]'];
}
