/**
 * The operators' admin API (`switchboard console`, port 8080): connector status with the
 * Burrow evaluation and controls, dead letters, topics, cross-references, the audit trail and
 * tokens, behind bearer tokens with the roles viewer, operator and admin.
 */
export { startAdminServer, type AdminServer, type AdminServerOptions } from './admin-server.js';
export { buildAdminApp, type AdminApp } from './admin-app.js';
export { loadAdminConfig, loadAdminTokenFile, defaultTokensFile, defaultAdminTokenFile, type AdminConfig } from './admin-config.js';
export { type AdminRoute } from './access.js';
export { ensureLocalAdminToken, readTokenFile, LOCAL_ADMIN_TOKEN_NAME } from './local-admin-token.js';
export { TokenStore, type TokenListing } from './token-store.js';
export { hashToken, newToken, type TokenEntry } from './tokens.js';
export { ROLES, roleAllows, type Role } from './roles.js';
export { evaluatePartition, connectorStatusOf, type PartitionStatus, type ConnectorStatus, type OffsetSample } from './burrow.js';
export type { ConnectorStatusView, PartitionStatusView, WorkerStatusView } from './connector-status.js';
export type { DeadLetterSummary, DeadLetterDetail, DeadLetterGroup, ReplayResult } from './dead-letter-desk.js';
export type { AuditEntry, AuditRecord, AuditPage, AuditAction } from './audit-trail.js';
export type { XrefMatch } from './xref-lookup.js';
export type { DomainTopicView, InternalTopicView } from './topics-view.js';
