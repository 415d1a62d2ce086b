import { join } from 'node:path';
import { CDC_TABLES, EVENT_NAMES, SYSTEM_NAMES, catalogueTopics, cdcRecordFullName } from '../../catalogue/index.js';
import { PROJECT_ROOT } from '../config/project-root.js';
import { CONNECTOR_NAME, DEFAULT_CONNECTOR_OPTIONS, SQL_NAME, TARGET_AUTHS, XREF_KINDS } from '../sdk/index.js';
import { publishedSchema } from './published-schema.js';

/** Where the published schema lives; editors point at it (`# yaml-language-server: $schema=...`). */
export const CONNECTOR_SCHEMA_FILE = join(PROJECT_ROOT, 'hub', 'declarative', 'connector.schema.json');

const expression = (description: string) => ({ type: 'string', minLength: 1, description });
const template = (description: string) => ({ type: 'string', minLength: 1, description });
const statuses = (description: string) => ({ type: 'array', items: { type: 'integer', minimum: 100, maximum: 599 }, uniqueItems: true, description });

const answers = {
  type: 'object',
  additionalProperties: false,
  description: "How target answers are judged before the runtime's defaults (in this order: final, retriable, finalWhen, retriableWhen; no match leaves the answer to the defaults).",
  properties: {
    final: statuses('Statuses dead-lettered at once.'),
    retriable: statuses('Statuses retried (then parked), e.g. 409 for "locked, try later".'),
    finalWhen: expression('JSONata condition over the event and `response` ({status, body}); true dead-letters the event.'),
    retriableWhen: expression('JSONata condition over the event and `response` ({status, body}); true retries the event.'),
  },
};

/**
 * The JSON Schema of `connectors/<name>/connector.yaml`, built from the catalogue (topics, event
 * types, systems) and the SDK (name rule, options, cross-reference kinds), so the file published
 * for editors and the loader's validation cannot drift from either. `switchboard connector
 * schema` writes it to {@link CONNECTOR_SCHEMA_FILE}; a unit test fails when that file is stale.
 *
 * @example
 * ```ts
 * new Ajv({ allErrors: true }).compile(connectorJsonSchema());
 * ```
 */
export function connectorJsonSchema(): Record<string, unknown> {
  const action = {
    type: 'object',
    additionalProperties: false,
    description: 'One action: exactly one of http, produce, xref.put, upsert; with `when`, only when that JSONata condition holds.',
    properties: {
      when: expression('JSONata condition; the action is taken only when it holds.'),
      http: { $ref: '#/definitions/http' },
      produce: { $ref: '#/definitions/produce' },
      'xref.put': { $ref: '#/definitions/xrefPut' },
      upsert: { $ref: '#/definitions/upsert' },
    },
  };
  const step = (withWhen: boolean) => ({
    type: 'object',
    additionalProperties: false,
    required: ['actions'],
    properties: {
      ...(withWhen ? { when: expression('JSONata condition on the event; the first case whose condition holds (or that has none) maps the event.') } : {}),
      let: {
        type: 'object',
        description: 'Named JSONata expressions evaluated in order; later expressions and the actions read them as `$name`.',
        propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
        additionalProperties: expression('JSONata expression.'),
      },
      refuse: {
        type: 'array',
        description: 'Reasons the event can never be applied: the first whose `when` holds dead-letters it with its message.',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['when', 'message'],
          properties: {
            when: expression('JSONata condition.'),
            message: template('The reason, with {JSONata} placeholders.'),
          },
        },
      },
      actions: { type: 'array', items: { $ref: '#/definitions/action' }, description: 'The actions, performed in order.' },
    },
  });
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://switchboard.local/schemas/connector.schema.json',
    title: 'Switchboard declarative connector (connectors/<name>/connector.yaml)',
    description: 'A connector declared in YAML with JSONata expressions; docs/connector-guide.md describes every field. Expressions see the event as `type`, `key`, `value`, `metadata` (and `response` where an answer is read).',
    type: 'object',
    additionalProperties: false,
    required: ['name', 'description', 'source', 'target', 'mapping'],
    properties: {
      $schema: { type: 'string' },
      name: { type: 'string', pattern: CONNECTOR_NAME.source, description: 'Lower-case words joined by dashes; names the consumer group, retry and dead-letter topics. Must match the folder.' },
      description: { type: 'string', minLength: 1, description: 'One line: what the connector does.' },
      source: {
        type: 'object',
        additionalProperties: false,
        required: ['topics', 'eventTypes'],
        properties: {
          topics: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: catalogueTopics().map((topic) => topic.name) }, description: 'Catalogue topics read: domain topics, or the topics of captured tables (cdc.<source>.<schema>.<table>).' },
          eventTypes: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: [...EVENT_NAMES, ...CDC_TABLES.map((table) => cdcRecordFullName(table))] }, description: 'Record full names handled; other events on the topics are skipped.' },
        },
      },
      target: {
        type: 'object',
        additionalProperties: false,
        description: '{ system, timeoutMs? } for a connector that calls a system\'s API; { kind: topic } for one that only produces events; { kind: http, name, auth, rateLimit?, timeoutMs? } for an external API; { kind: postgres, name, table, keyColumn? } for a PostgreSQL table.',
        properties: {
          system: { enum: [...SYSTEM_NAMES], description: 'The system whose API is called (its URL is configuration: CRM_URL, ERP_URL, SCM_URL).' },
          timeoutMs: { type: 'integer', minimum: 1, description: 'Timeout of one call in ms. Default 10 000.' },
          kind: { enum: ['topic', 'http', 'postgres'], description: 'topic: only produces events; http: an external API (TARGET_<NAME>_URL and credentials); postgres: a table (TARGET_<NAME>_DATABASE_URL).' },
          name: { type: 'string', pattern: CONNECTOR_NAME.source, description: 'The target\'s name: partner-api reads TARGET_PARTNER_API_* (docs/adapters.md).' },
          auth: { enum: [...TARGET_AUTHS], description: 'How calls to the external API authenticate: none, bearer (_TOKEN), basic (_USERNAME, _PASSWORD) or oauth2 client credentials (_TOKEN_URL, _CLIENT_ID, _CLIENT_SECRET, _SCOPE).' },
          rateLimit: {
            type: 'object',
            additionalProperties: false,
            required: ['perSecond'],
            description: 'Calls per second this worker process makes to the external API at most.',
            properties: { perSecond: { type: 'number', exclusiveMinimum: 0 }, burst: { type: 'integer', minimum: 1, description: 'Calls that may go at once after a quiet time. Default perSecond.' } },
          },
          table: { type: 'string', pattern: SQL_NAME.source, description: 'The PostgreSQL table, optionally schema-qualified.' },
          keyColumn: { type: 'string', pattern: '^[a-z_][a-z0-9_]*$', description: 'Its primary-key (or unique) column that holds the key. Default id.' },
        },
      },
      filter: expression('JSONata condition on the event; an event for which it does not hold is settled without actions.'),
      answers,
      options: {
        type: 'object',
        additionalProperties: false,
        description: 'Runtime tuning; every option has a default.',
        properties: Object.fromEntries(Object.entries(DEFAULT_CONNECTOR_OPTIONS).map(([key, value]) => [key, { type: 'integer', minimum: 1, description: `Default ${value}.` }])),
      },
      mapping: { type: 'array', minItems: 1, items: { $ref: '#/definitions/case' }, description: 'Cases tried in order; the first whose `when` holds (or that has none) maps the event. No match: no actions.' },
    },
    definitions: {
      case: step(true),
      step: step(false),
      action,
      http: {
        type: 'object',
        additionalProperties: false,
        required: ['method', 'path'],
        properties: {
          method: { enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] },
          path: template('Path below the target URL, with {JSONata} placeholders whose values are URL-encoded, e.g. /items/{value.sku}.'),
          headers: { type: 'object', additionalProperties: template('Header value, with {JSONata} placeholders.'), description: "Extra request headers; the runtime's own (Idempotency-Key, traceparent, ...) cannot be set." },
          body: expression('JSONata expression whose result is sent as JSON.'),
          okStatuses: statuses('Non-2xx statuses that still mean "applied" (e.g. 409 for "already exists").'),
          answers,
          onResponse: { $ref: '#/definitions/step', description: 'Follow-up actions from the answer, which expressions read as `response` ({status, body}).' },
        },
      },
      produce: {
        type: 'object',
        additionalProperties: false,
        required: ['eventType', 'key', 'value'],
        properties: {
          eventType: { enum: [...EVENT_NAMES] },
          key: expression('JSONata expression: the record key (the aggregate id of the event).'),
          value: expression('JSONata expression: the event value (checked against its Avro schema when published).'),
        },
      },
      upsert: {
        type: 'object',
        additionalProperties: false,
        required: ['row'],
        description: 'A row written into the PostgreSQL target table: inserted, or updated when its key exists; each event once.',
        properties: {
          key: expression('JSONata expression: the value of the key column. Default: the event key.'),
          row: expression('JSONata expression: an object of column values.'),
        },
      },
      xrefPut: {
        type: 'object',
        additionalProperties: false,
        required: ['kind', 'ids'],
        properties: {
          kind: { enum: [...XREF_KINDS] },
          ids: {
            type: 'object',
            additionalProperties: false,
            minProperties: 2,
            properties: Object.fromEntries(SYSTEM_NAMES.map((system) => [system, expression(`JSONata expression: the id in the ${system.toUpperCase()}.`)])),
          },
        },
      },
    },
  };
}

const published = publishedSchema(CONNECTOR_SCHEMA_FILE, connectorJsonSchema);

/** Writes {@link CONNECTOR_SCHEMA_FILE}; returns its path. */
export function writeConnectorSchema(): string {
  return published.write();
}

/** True when the published schema differs from what the catalogue and the SDK say now. */
export function connectorSchemaIsStale(): boolean {
  return published.isStale();
}
