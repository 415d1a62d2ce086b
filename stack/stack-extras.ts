/** The optional parts `stack up --with` can start beside Kafka and Redis. */
export const STACK_EXTRAS = ['postgres', 'prometheus', 'toxiproxy'] as const;

/** One optional part of the stack. */
export type StackExtra = (typeof STACK_EXTRAS)[number];

/**
 * Reads `--with` values, each possibly comma-separated, into a list of known parts without
 * repeats; `ok` is false (and `unknown` names them) when a value is not a known part.
 *
 * @example
 * ```ts
 * parseExtras(['postgres,prometheus', 'postgres']); // { ok: true, extras: ['postgres', 'prometheus'], unknown: [] }
 * parseExtras(['mysql']);                           // { ok: false, extras: [], unknown: ['mysql'] }
 * ```
 */
export function parseExtras(values: readonly string[]): { ok: boolean; extras: StackExtra[]; unknown: string[] } {
  const words = values.flatMap((value) => value.split(',')).map((word) => word.trim().toLowerCase()).filter(Boolean);
  const known = new Set<string>(STACK_EXTRAS);
  const unknown = words.filter((word) => !known.has(word));
  const extras = [...new Set(words.filter((word): word is StackExtra => known.has(word)))];
  return { ok: unknown.length === 0, extras, unknown };
}
