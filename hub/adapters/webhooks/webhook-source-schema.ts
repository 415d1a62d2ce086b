import { join } from 'node:path';
import { EVENT_NAMES } from '../../../catalogue/index.js';
import { PROJECT_ROOT } from '../../config/project-root.js';
import { publishedSchema } from '../../declarative/published-schema.js';
import { CONNECTOR_NAME } from '../../sdk/index.js';

/** Where the published schema of webhook source files lives; editors point at it. */
export const WEBHOOK_SOURCE_SCHEMA_FILE = join(PROJECT_ROOT, 'hub', 'adapters', 'webhooks', 'webhook-source.schema.json');

const expression = (description: string) => ({ type: 'string', minLength: 1, description });

/**
 * The JSON Schema of a webhook source file (`webhooks/<name>.yaml`), built from the catalogue
 * (the event types a delivery may become) so it cannot drift from it. `switchboard webhooks
 * schema` writes it to {@link WEBHOOK_SOURCE_SCHEMA_FILE}; a unit test fails when that file is stale.
 *
 * @example
 * ```ts
 * new Ajv({ allErrors: true }).compile(webhookSourceJsonSchema());
 * ```
 */
export function webhookSourceJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://switchboard.local/schemas/webhook-source.schema.json',
    title: 'Switchboard webhook source (webhooks/<name>.yaml)',
    description: 'One system that sends signed webhooks to POST /webhooks/<name>; docs/adapters.md describes every field. Its secret is the environment variable WEBHOOK_<NAME>_SECRET.',
    type: 'object',
    additionalProperties: false,
    required: ['name', 'description', 'signature', 'events'],
    properties: {
      $schema: { type: 'string' },
      name: { type: 'string', pattern: CONNECTOR_NAME.source, description: 'Lower-case words joined by dashes; the endpoint is POST /webhooks/<name>. Must match the file name.' },
      description: { type: 'string', minLength: 1, description: 'One line: which system sends what.' },
      signature: {
        type: 'object',
        additionalProperties: false,
        required: ['scheme'],
        description: 'How deliveries are signed. Every scheme signs a timestamp; deliveries further from now than toleranceSeconds are refused.',
        properties: {
          scheme: { enum: ['standard-webhooks', 'stripe', 'hmac-sha256'], description: 'standard-webhooks (webhook-id/-timestamp/-signature), stripe (Stripe-Signature), or hmac-sha256 described by the fields below.' },
          toleranceSeconds: { type: 'integer', minimum: 1, description: 'Largest accepted distance between the signed timestamp and now. Default 300.' },
          header: { type: 'string', minLength: 1, description: 'hmac-sha256: the header holding the signature.' },
          timestampHeader: { type: 'string', minLength: 1, description: 'hmac-sha256: the header holding the signed timestamp (unix seconds).' },
          idHeader: { type: 'string', minLength: 1, description: 'hmac-sha256: the header holding the delivery id, when the signed content has {id}.' },
          encoding: { enum: ['hex', 'base64'], description: 'hmac-sha256: how the signature is written. Default hex.' },
          prefix: { type: 'string', minLength: 1, description: 'hmac-sha256: text before the signature, e.g. sha256=.' },
          signedContent: { type: 'string', pattern: '\\{body\\}', description: 'hmac-sha256: what is signed, with {timestamp}, {id} and {body}. Default {timestamp}.{body}.' },
        },
      },
      deliveryId: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        maxProperties: 1,
        description: 'Where the id of a delivery is, so that a repeated delivery is stored once: a header, or a JSONata expression over the payload. Default for standard-webhooks: the signed webhook-id.',
        properties: {
          header: { type: 'string', minLength: 1 },
          field: expression('JSONata expression over `payload` (and `headers`), e.g. payload.id.'),
        },
      },
      payload: { type: 'object', description: 'A JSON Schema (draft-07) the body must meet; a delivery that does not gets 422 naming the field.' },
      events: {
        type: 'array',
        minItems: 1,
        description: 'Cases tried in order: the first whose `when` holds (or that has none) makes the delivery an event. None: the delivery is acknowledged and dropped.',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['eventType', 'value'],
          properties: {
            when: expression('JSONata condition over `payload`, `headers`, `deliveryId`, `receivedAt`.'),
            eventType: { enum: [...EVENT_NAMES], description: 'The catalogue event the delivery becomes (its topic and key follow from the catalogue).' },
            value: expression('JSONata expression: the event value, checked against its Avro schema before the delivery is accepted.'),
            correlationId: expression('JSONata expression: the business flow the event starts. Default: the event key.'),
          },
        },
      },
    },
  };
}

const published = publishedSchema(WEBHOOK_SOURCE_SCHEMA_FILE, webhookSourceJsonSchema);

/** Writes {@link WEBHOOK_SOURCE_SCHEMA_FILE}; returns its path. */
export function writeWebhookSourceSchema(): string {
  return published.write();
}

/** True when the published schema differs from what the catalogue says now. */
export function webhookSourceSchemaIsStale(): boolean {
  return published.isStale();
}
