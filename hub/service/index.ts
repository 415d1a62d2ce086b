/** Shared plumbing of the CRM, ERP and SCM services: database, outbox, idempotency, errors, app. */
export { openDatabase, applyMigrations, nextSequence, type Migration } from './database.js';
export { PLUMBING_MIGRATIONS } from './plumbing-migrations.js';
export { Outbox, type OutboxWriter, type EventOrigin, type OutboxRow } from './outbox.js';
export { withIdempotency, pruneIdempotencyKeys, hashRequest, IdempotencyKeyReusedError, type CommandResult, type IdempotentResult } from './idempotency.js';
export { ServiceError, ValidationError, NotFoundError, ConflictError, BusinessRuleError, isServiceError, type ServiceErrorOptions } from './errors.js';
export { ERRORS } from '../errors/index.js';
export { createErrorHandler, toErrorResponse, errorAnswer, type ErrorAnswer, type ErrorBody } from './error-handler.js';
export { buildServiceApp, type ServiceAppOptions } from './build-app.js';
export { executeCommand, sendResult, runCommand, commandContext, type ServiceStore } from './command.js';
export { CommandContext, type CommandOrigin } from './command-context.js';
export { toMinor, fromMinor, money, checkedMinor, MAX_AMOUNT_MINOR, type Money } from './money.js';
export * from './json-schemas.js';
export { defaultDbPath, loadServiceConfig, listenUntilSignal } from './start.js';
export { type ServiceApp, type CreateServiceOptions, type CreateServiceApp } from './service-app.js';
export { runService } from './run-service.js';
export { registerServiceAuth, describeAuth } from './service-auth.js';
export { serviceRoutes, type ServiceRoute } from './route-table.js';
export { commandHeadersSchema, validTraceparent } from './request-headers.js';
