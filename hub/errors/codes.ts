/**
 * The error catalogue: every `SWB_ERR_*` code Switchboard raises, declared once (one file per
 * area in `codes/`) with the HTTP status an API answers it with, whether retrying can help,
 * and what an operator should do. Error classes take their `retriable` flag (and service
 * errors their HTTP status) from here, so a throw site cannot contradict it; `docs/errors.md`
 * is rendered from it (`switchboard errors doc`).
 *
 * @example
 * ```ts
 * ERRORS.RUNTIME_MAPPING.code;               // 'SWB_ERR_RUNTIME_MAPPING'
 * errorSpec('SWB_ERR_ERP_ACCOUNT_NOT_YET');  // { code, area: 'ERP', status: 404, retriable: true, description }
 * throw new ConflictError(ERRORS.CRM_ORDER_STATE.code, `order ${id} was rejected`, { field: 'id' });
 * ```
 */
import { ADMIN } from './codes/admin.js';
import { AUTH } from './codes/auth.js';
import { BUS } from './codes/bus.js';
import { CDC } from './codes/cdc.js';
import { CODEC } from './codes/codec.js';
import { CONFIG } from './codes/config.js';
import { CRM } from './codes/crm.js';
import { ERP } from './codes/erp.js';
import { HTTP } from './codes/http.js';
import { IDEMPOTENCY } from './codes/idempotency.js';
import { MONEY } from './codes/money.js';
import { OUTBOX } from './codes/outbox.js';
import { REGISTRY } from './codes/registry.js';
import { RUNTIME } from './codes/runtime.js';
import { SCHEMA } from './codes/schema.js';
import { SCM } from './codes/scm.js';
import { SERVICE } from './codes/service.js';
import { SINK } from './codes/sink.js';
import { STACK } from './codes/stack.js';
import { STATE } from './codes/state.js';
import { VALIDATION } from './codes/validation.js';
import { WEBHOOK } from './codes/webhook.js';

export type { ErrorSpec, HttpErrorStatus } from './codes/define.js';

/** Every area, in the order `docs/errors.md` lists them: the platform first, then the services. */
export const ERROR_AREAS = [CONFIG, BUS, CODEC, SCHEMA, REGISTRY, OUTBOX, RUNTIME, STATE, CDC, WEBHOOK, SINK, STACK, ADMIN, HTTP, AUTH, SERVICE, VALIDATION, IDEMPOTENCY, MONEY, CRM, ERP, SCM] as const;

/** Every entry of the catalogue, by `<AREA>_<REASON>` (the code without `SWB_ERR_`). */
export const ERRORS = Object.freeze({
  ...CONFIG.errors,
  ...BUS.errors,
  ...CODEC.errors,
  ...SCHEMA.errors,
  ...REGISTRY.errors,
  ...OUTBOX.errors,
  ...RUNTIME.errors,
  ...STATE.errors,
  ...CDC.errors,
  ...WEBHOOK.errors,
  ...SINK.errors,
  ...STACK.errors,
  ...ADMIN.errors,
  ...HTTP.errors,
  ...AUTH.errors,
  ...SERVICE.errors,
  ...VALIDATION.errors,
  ...IDEMPOTENCY.errors,
  ...MONEY.errors,
  ...CRM.errors,
  ...ERP.errors,
  ...SCM.errors,
});

/** The name of an entry, e.g. `RUNTIME_MAPPING`. */
export type ErrorName = keyof typeof ERRORS;
/** One entry of the catalogue: code, area, status, retriable, description. */
export type ErrorEntry = (typeof ERRORS)[ErrorName];
/** Every code of the catalogue, e.g. `SWB_ERR_RUNTIME_MAPPING`. */
export type ErrorCode = ErrorEntry['code'];
/** The areas, e.g. `RUNTIME`. */
export type ErrorAreaName = ErrorEntry['area'];
/** The entry of one code, with its literal status and retriable flag. */
export type ErrorEntryOf<C extends ErrorCode> = Extract<ErrorEntry, { readonly code: C }>;
/** The codes whose entries match `P`, e.g. `ErrorCodeWhere<{ status: 404 }>`. */
export type ErrorCodeWhere<P> = Extract<ErrorEntry, P>['code'];
/** Codes the runtime retries. */
export type RetriableCode = ErrorCodeWhere<{ readonly retriable: true }>;
/** Codes retrying cannot fix. */
export type PermanentCode = ErrorCodeWhere<{ readonly retriable: false }>;
/** Codes an HTTP API answers with. */
export type HttpErrorCode = ErrorCodeWhere<{ readonly status: number }>;

const BY_CODE: ReadonlyMap<string, ErrorEntry> = new Map(Object.values(ERRORS).map((entry: ErrorEntry) => [entry.code, entry]));

/** True when `code` is in the catalogue (for codes read back from headers or bodies). */
export function isErrorCode(code: string): code is ErrorCode {
  return BY_CODE.has(code);
}

/**
 * The catalogue entry of `code`. Throws a TypeError for a code that is not in the catalogue,
 * which only untyped callers can pass: an error's code is never made up at the throw site.
 */
export function errorSpec<C extends ErrorCode>(code: C): ErrorEntryOf<C> {
  const entry = BY_CODE.get(code);
  if (entry === undefined) throw new TypeError(`${String(code)} is not in the error catalogue (hub/errors/codes/)`);
  return entry as ErrorEntryOf<C>;
}
