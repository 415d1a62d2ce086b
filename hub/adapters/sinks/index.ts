/**
 * Generic targets of connectors (docs/adapters.md): external HTTP APIs with bearer, basic or
 * OAuth2 client-credentials authentication, a per-target rate limit and obedience to
 * Retry-After; PostgreSQL tables written by upsert, idempotent by event id. The runtime finds
 * them through {@link TargetRegistry}; connectors name them in their `target`.
 */
export { TargetRegistry } from './target-registry.js';
export { ExternalHttpGate, type ExternalHttpGateOptions } from './external-http-gate.js';
export { ClientCredentialsToken, TokenUnavailableError, type ClientCredentialsSettings } from './oauth2-client.js';
export { RateLimiter, RateLimitedError, retryAfterMs } from './rate-limiter.js';
export { PostgresUpsertSink, PostgresTargetRejectedError, PostgresTargetUnavailableError, APPLIED_EVENTS_TABLE } from './postgres-upsert.js';
export { loadHttpTargetSettings, loadPostgresTargetSettings, targetVariable, type HttpTargetAuth, type HttpTargetSettings } from './target-config.js';
