import type { Database } from 'better-sqlite3';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ERRORS } from '../errors/index.js';
import { requestTraceparent } from '../telemetry/index.js';
import { ValidationError } from './errors.js';
import { withIdempotency, type CommandResult, type IdempotentResult } from './idempotency.js';
import { CommandContext } from './command-context.js';
import type { Outbox, OutboxWriter } from './outbox.js';
import { validTraceparent } from './request-headers.js';

/** A service's database and outbox, the two things every command touches. */
export interface ServiceStore {
  db: Database;
  outbox: Outbox;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
/** Ids that travel on as headers of the calls a connector makes: visible ASCII (see commandHeadersSchema). */
const FLOW_ID = /^[\x21-\x7e]{1,200}$/;

function header(request: FastifyRequest, name: string): string | null {
  const value = request.headers[name];
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** A flow header's value; one that could not travel on as a header is refused here too (routes validate it first). */
function flowHeader(request: FastifyRequest, name: 'x-correlation-id' | 'x-causation-id'): string | null {
  const value = header(request, name);
  if (value !== null && !FLOW_ID.test(value)) {
    throw new ValidationError(ERRORS.VALIDATION_PATTERN.code, `header ${name} must be 1–200 visible ASCII characters (no spaces, no accents): it travels on to the other systems`, { field: name });
  }
  return value;
}

/**
 * The command context of a request: its correlation and causation headers and its trace context
 * (its server span, whose parent is a valid incoming `traceparent`; a malformed one starts a new
 * trace, as W3C says), over `outbox`.
 */
export function commandContext(request: FastifyRequest, outbox: OutboxWriter): CommandContext {
  return new CommandContext(outbox, {
    correlationId: flowHeader(request, 'x-correlation-id'),
    causationId: flowHeader(request, 'x-causation-id'),
    traceparent: validTraceparent(requestTraceparent(request)),
  });
}

/**
 * Runs a state-changing command in one transaction with its outbox events, honouring the
 * `Idempotency-Key` header: with a key, the result is stored in the same transaction and a
 * repeat gets it back; without one the command simply runs.
 */
export function executeCommand(store: ServiceStore, request: FastifyRequest, fn: (command: CommandContext) => CommandResult): IdempotentResult {
  const key = header(request, 'idempotency-key');
  if (key !== null && !IDEMPOTENCY_KEY.test(key)) {
    throw new ValidationError(ERRORS.IDEMPOTENCY_KEY_INVALID.code, 'Idempotency-Key must be 1–255 visible ASCII characters', { field: 'Idempotency-Key' });
  }
  const command = commandContext(request, store.outbox);
  return store.outbox.transaction(() => {
    if (key === null) return { ...fn(command), replayed: false };
    return withIdempotency(store.db, key, { method: request.method, url: request.url, body: request.body ?? null }, () => fn(command));
  });
}

/** Sends a command's result; a replayed one is marked with `Idempotent-Replayed: true`. */
export function sendResult(reply: FastifyReply, result: IdempotentResult): FastifyReply {
  if (result.replayed) void reply.header('idempotent-replayed', 'true');
  return reply.code(result.statusCode).send(result.body);
}

/** `executeCommand` then `sendResult`: the body of most command routes. */
export function runCommand(store: ServiceStore, request: FastifyRequest, reply: FastifyReply, fn: (command: CommandContext) => CommandResult): FastifyReply {
  return sendResult(reply, executeCommand(store, request, fn));
}
