import type { FastifyRequest } from 'fastify';
import { ERRORS, isSwitchboardError } from '../errors/index.js';
import type { Logger } from '../log/logger.js';
import { actorOf } from './access.js';
import type { AuditAction, AuditTarget, AuditTrail } from './audit-trail.js';

/** What one operator action is, for its audit entry. */
export interface AuditedAction<T> {
  readonly action: AuditAction;
  readonly target: AuditTarget;
  readonly reason: string | undefined;
  /** What to record of a successful result (never a token). */
  readonly detail?: (result: T) => Readonly<Record<string, unknown>>;
}

/**
 * Runs an operator action and appends its audit entry: who (the request's token name), what,
 * the target, the reason, and the outcome — `ok`, or `failed` with the error's code, after
 * which the error is rethrown for the error handler to answer. An entry that cannot be
 * written is logged at error level with everything but the token; the action's answer stands.
 *
 * @example
 * ```ts
 * await audited(trail, logger, request, { action: 'connector.pause', target: { connector: name }, reason }, () => control.pause(name));
 * ```
 */
export async function audited<T>(trail: AuditTrail, logger: Logger, request: FastifyRequest, what: AuditedAction<T>, run: () => Promise<T>): Promise<T> {
  const actor = actorOf(request);
  const base = { actor: actor.name, role: actor.role, action: what.action, target: what.target, reason: what.reason ?? null };
  let result: T;
  try {
    result = await run();
  } catch (error) {
    const code = isSwitchboardError(error) ? error.code : ERRORS.SERVICE_INTERNAL.code;
    await trail.record({ ...base, outcome: 'failed', code }).catch((auditError: unknown) => logger.error({ err: auditError, audit: { ...base, outcome: 'failed', code } }, 'could not write the audit entry'));
    throw error;
  }
  const entry = { ...base, outcome: 'ok' as const, ...(what.detail ? { detail: what.detail(result) } : {}) };
  await trail.record(entry).catch((auditError: unknown) => logger.error({ err: auditError, audit: entry }, 'could not write the audit entry'));
  return result;
}
