/**
 * Signed webhooks in (`switchboard webhooks`, docs/adapters.md): one endpoint per configured
 * source (`webhooks/<name>.yaml`), HMAC signatures with a signed timestamp, JSON Schema and
 * JSONata mapping to a catalogue event, stored through a SQLite outbox (relayed to Kafka)
 * before the sender gets its 2xx, repeated deliveries stored once.
 */
export { buildWebhookApp, type WebhookAppOptions } from './webhook-app.js';
export { loadWebhookSources, readWebhookSource, secretVariable, WebhookSource, WebhookSourceInvalidError, type DeliveryInput, type MappedEvent } from './webhook-source.js';
export { WebhookStore, WEBHOOK_MIGRATIONS, DELIVERY_ID_RETENTION_MS, type Acceptance } from './webhook-store.js';
export { signatureVerifier, signDelivery, DEFAULT_TOLERANCE_SECONDS, type SignatureSpec, type SignatureVerifier } from './signature.js';
export { loadWebhooksConfig, webhooksConfigured, DEFAULT_WEBHOOKS_DIR, type WebhooksConfig } from './webhook-config.js';
export { webhookSourceJsonSchema, webhookSourceSchemaIsStale, writeWebhookSourceSchema, WEBHOOK_SOURCE_SCHEMA_FILE } from './webhook-source-schema.js';
export { WebhookRefusedError } from './webhook-errors.js';
