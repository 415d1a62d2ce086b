/**
 * The exit codes of the `switchboard` command, so scripts can tell outcomes apart:
 *
 * | code | meaning |
 * |---|---|
 * | 0 | success |
 * | 1 | failure (bad configuration, an unreachable service, an error answer) |
 * | 3 | not found (an unknown connector, dead letter, token or id) |
 * | 4 | not allowed (no token or an unknown one: 401; a role too weak: 403) |
 */
export const EXIT = Object.freeze({ ok: 0, failure: 1, notFound: 3, denied: 4 });

/** The exit code of an admin API answer's HTTP status. */
export function exitCodeOfStatus(status: number): number {
  if (status === 404) return EXIT.notFound;
  if (status === 401 || status === 403) return EXIT.denied;
  return status >= 200 && status < 300 ? EXIT.ok : EXIT.failure;
}

/** The exit code an error asks for (`exitCode` on it), else failure. */
export function exitCodeOf(error: unknown): number {
  const code = (error as { exitCode?: unknown } | null)?.exitCode;
  return typeof code === 'number' && Number.isInteger(code) && code > 0 ? code : EXIT.failure;
}
