/**
 * How an area of the error catalogue is declared. Each area (`CRM`, `RUNTIME`, ...) lists its
 * reasons once; {@link defineArea} turns `ORDER_STATE` in area `CRM` into the entry
 * `CRM_ORDER_STATE` with code `SWB_ERR_CRM_ORDER_STATE`, keeping the literal types so that
 * codes can be filtered by status or retriability at compile time.
 */

/** The HTTP statuses the catalogue uses (add one here when an API needs it). */
export type HttpErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 500 | 503;

/** What the catalogue says about one code. */
export interface ErrorSpec {
  /**
   * The HTTP status an API (a service or the schema registry) answers with when this error
   * reaches it. `null` for errors no API answers with: they show in logs, dead-letter
   * headers, worker and relay status, and CLI output.
   */
  readonly status: HttpErrorStatus | null;
  /** True when the same operation may succeed later: the runtime retries, a caller may too. */
  readonly retriable: boolean;
  /** One line an operator can act on: what happened and what to do about it. */
  readonly description: string;
}

/** One entry of the catalogue: its spec plus its code and area. */
export interface DeclaredError<A extends string, R extends string, S extends ErrorSpec> {
  /** The stable code, `SWB_ERR_<AREA>_<REASON>`. */
  readonly code: `SWB_ERR_${A}_${R}`;
  readonly area: A;
  readonly status: S['status'];
  readonly retriable: S['retriable'];
  readonly description: string;
}

/** The entries of an area, by `<AREA>_<REASON>`. */
export type AreaErrors<A extends string, T extends Readonly<Record<string, ErrorSpec>>> = {
  readonly [R in keyof T & string as `${A}_${R}`]: DeclaredError<A, R, T[R]>;
};

/** An area of the catalogue, one table of `docs/errors.md`. */
export interface ErrorArea<A extends string, E> {
  /** The `<AREA>` of its codes: one word, upper case. */
  readonly name: A;
  /** What the area covers, one sentence (the table's introduction). */
  readonly summary: string;
  readonly errors: E;
}

/**
 * Declares the codes of one area.
 *
 * @example
 * ```ts
 * export const MONEY = defineArea('MONEY', 'Amounts given to a service.', {
 *   INVALID_AMOUNT: { status: 400, retriable: false, description: 'An amount is not a decimal string such as "12.50"; fix the request.' },
 * });
 * MONEY.errors.MONEY_INVALID_AMOUNT.code; // 'SWB_ERR_MONEY_INVALID_AMOUNT'
 * ```
 */
export function defineArea<const A extends string, const T extends Readonly<Record<string, ErrorSpec>>>(
  name: A,
  summary: string,
  specs: T,
): ErrorArea<A, AreaErrors<A, T>> {
  const errors = Object.fromEntries(
    Object.entries(specs).map(([reason, spec]) => [`${name}_${reason}`, Object.freeze({ code: `SWB_ERR_${name}_${reason}`, area: name, ...spec })]),
  );
  // Object.fromEntries loses the key types; the mapping above is exactly AreaErrors<A, T>.
  return Object.freeze({ name, summary, errors: Object.freeze(errors) as unknown as AreaErrors<A, T> });
}
