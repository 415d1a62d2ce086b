/** Counters and the last error of one connector worker, for status and the console. */
export interface WorkerStats {
  consumed: number;
  /** Events whose actions were all performed. */
  delivered: number;
  /** Events skipped: types the connector does not handle, or already applied (redelivered). */
  skipped: number;
  /** Retries of an event in the worker, after a retriable failure. */
  retried: number;
  /** Events written to the retry topic. */
  parked: number;
  deadLettered: number;
  lastError?: { code: string; message: string; at: string; eventId?: string };
}

export function newStats(): WorkerStats {
  return { consumed: 0, delivered: 0, skipped: 0, retried: 0, parked: 0, deadLettered: 0 };
}
