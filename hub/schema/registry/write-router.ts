import type { Logger } from '../../log/logger.js';
import type { WriterSource } from './election.js';
import { isRegistryError, registryErrors } from './errors.js';
import { FORWARDED_HEADER, forwardWrite, type ForwardResult, type WriteRequest } from './forward.js';

/** How long to wait for the writer view to change before trying again anyway. */
const RETRY_INTERVAL_MS = 1000;

export interface WriteRouterOptions {
  readonly writers: WriterSource;
  /** How long a write may wait for a reachable writer before it is answered 503 (50003). */
  readonly waitMs: number;
  /** This instance's advertised URL (sent along with forwarded writes, for the writer's logs). */
  readonly origin: () => string;
  /** Brings this instance's memory up to the log, so it reads a write it forwarded. */
  readonly catchUp: () => Promise<void>;
  readonly logger: Logger;
  /** Sends a write to the writer; replaceable in tests. */
  readonly forward?: (writerUrl: string, request: WriteRequest, origin: string) => Promise<ForwardResult>;
}

/** A write as the HTTP layer received it (a FastifyRequest fits). */
export interface IncomingWrite extends WriteRequest {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** What to answer: the local result with 200, or the writer's status and body. */
export interface WriteAnswer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * Sends every write to the one writer: runs it here when this instance is the writer, else
 * forwards it over HTTP to the writer's advertised URL and relays the answer. While no writer
 * is known or reachable (an election in progress, a writer that just died), it waits for the
 * election to settle, up to `waitMs`, then answers 503 with error_code 50003 so the client
 * retries. A forwarded write that reaches an instance that is no longer the writer is answered
 * 50003 at once; the forwarding instance then waits and tries the new writer.
 *
 * Safe to try again: a write that never left this instance, a refused connection, a 50003
 * answer, and a local write refused because this instance lost the role (nothing was written).
 * Not retried: a forwarded write that got no answer (it may have happened); the client gets
 * 50003 and decides (registering again is harmless: the same schema gets the same id).
 *
 * @example
 * ```ts
 * const answer = await writes.run(request, () => service.register(subject, body));
 * reply.code(answer.status).send(answer.body);
 * ```
 */
export class WriteRouter {
  private readonly forward: NonNullable<WriteRouterOptions['forward']>;

  constructor(private readonly options: WriteRouterOptions) {
    this.forward = options.forward ?? forwardWrite;
  }

  /** Runs `local` as the writer, or forwards the request; resolves with what to answer. */
  async run(request: IncomingWrite, local: () => Promise<unknown>): Promise<WriteAnswer> {
    const forwardedBy = request.headers[FORWARDED_HEADER];
    // A forwarded write gets one try here: the forwarding instance does the waiting.
    const deadline = Date.now() + (forwardedBy === undefined ? this.options.waitMs : 0);
    let reason = 'no writer is elected';
    for (;;) {
      const view = this.options.writers.current();
      if (view.self) {
        try {
          return { status: 200, body: await local() };
        } catch (error) {
          if (!isRegistryError(error) || error.errorCode !== 50003) throw error;
          reason = error.message;
        }
      } else if (forwardedBy !== undefined) {
        // Never forward twice: the instance that forwarded this waits and finds the new writer.
        throw registryErrors.writerUnavailable(`this instance is not the writer (forwarded by ${String(forwardedBy)})`);
      } else if (view.url !== undefined) {
        const result = await this.forward(view.url, { method: request.method, url: request.url, body: request.body }, this.options.origin());
        if (result.kind === 'answered' && !isWriterUnavailable(result)) {
          if (result.status < 300) await this.readOwnWrite();
          return { status: result.status, body: result.body };
        }
        if (result.kind === 'unknown') throw registryErrors.writerUnavailable(`no answer from the writer, the write may or may not have happened; retry (${result.reason})`);
        reason = result.kind === 'unreachable' ? `the writer at ${result.reason} is unreachable` : `the writer at ${view.url} is no longer the writer`;
      }
      const now = Date.now();
      if (now >= deadline) throw registryErrors.writerUnavailable(`${reason}; waited ${this.options.waitMs} ms for a writer`);
      await this.options.writers.changed(view.term, Math.min(deadline, now + RETRY_INTERVAL_MS));
    }
  }

  /** The write is in the log; make this instance's memory show it before answering. */
  private async readOwnWrite(): Promise<void> {
    try {
      await this.options.catchUp();
    } catch (error) {
      this.options.logger.warn({ err: error }, 'a forwarded write succeeded but this instance has not read it yet');
    }
  }
}

/** 50003 from an instance that lost the role, or fastify's 503 from a writer that is shutting down. */
function isWriterUnavailable(result: ForwardResult): boolean {
  return result.kind === 'answered' && result.status === 503;
}
