import jsonata from 'jsonata';
import { ERRORS, MappingError, PermanentError, isSwitchboardError } from '../errors/index.js';
import type { Position } from './source-file.js';

/** Variables and functions an expression sees as `$name`. */
export type Bindings = Record<string, unknown>;

/** Where an expression came from: for messages at load (syntax) and at run time (evaluation). */
export interface ExpressionOrigin {
  readonly file: string;
  /** e.g. `mapping[0].actions[0].http.body`. */
  readonly path: string;
  /** Where the expression's text starts in the file. */
  readonly start: Position;
}

/** A JSONata error: a plain object with a code such as `T2002` and a character position. */
interface JsonataError {
  readonly code: string;
  readonly message: string;
  readonly position?: number;
}

function isJsonataError(error: unknown): error is JsonataError {
  return typeof error === 'object' && error !== null && !isSwitchboardError(error) && typeof (error as { code?: unknown }).code === 'string' && /^[A-Z]\d{4}$/.test((error as { code: string }).code);
}

/** The JSONata code of `$error("...")`: the expression refuses the event on purpose. */
const USER_ERROR = 'D3137';

/**
 * An expression of a declarative connector failed while mapping an event (a type error, a
 * function called with the wrong arguments, a placeholder that gave nothing): a bug in the
 * connector file, like a TypeError in a TypeScript mapping, so it is dead-lettered as
 * `SWB_ERR_RUNTIME_MAPPING_BUG` with the file, line and path of the expression.
 */
export class ExpressionFailedError extends PermanentError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: ERRORS.RUNTIME_MAPPING_BUG.code, cause: options.cause });
  }
}

/** A JSONata expression that does not parse, with where it is. */
export class ExpressionSyntaxError extends Error {
  constructor(message: string, readonly position: Position) {
    super(message);
    this.name = 'ExpressionSyntaxError';
  }
}

/** The line and column of character `offset` of `text`, whose first character is at `start`. */
export function positionIn(text: string, offset: number | undefined, start: Position): Position {
  const before = text.slice(0, Math.max(0, (offset ?? 1) - 1));
  const lines = before.split('\n');
  return lines.length === 1
    ? { line: start.line, column: start.column + before.length }
    : { line: start.line + lines.length - 1, column: (lines[lines.length - 1] as string).length + 1 };
}

/**
 * One JSONata expression of a connector file, compiled once at load. Evaluating it translates
 * JSONata's errors into the runtime's: `$error(message)` is a MappingError (dead-lettered with
 * that message); errors thrown by bound functions (`$xref`'s missing dependency) pass through;
 * any other JSONata error is an {@link ExpressionFailedError} naming the file and line.
 *
 * @example
 * ```ts
 * const expression = new Expression("'/items/' & value.sku", { file, path: 'mapping[0].actions[0].http.path', start: { line: 12, column: 11 } });
 * await expression.evaluate({ value: { sku: 'SKU-1' } }, {}); // '/items/SKU-1'
 * ```
 */
export class Expression {
  private readonly compiled: jsonata.Expression;

  /** Throws ExpressionSyntaxError when `source` does not parse. */
  constructor(readonly source: string, readonly origin: ExpressionOrigin) {
    try {
      this.compiled = jsonata(source);
    } catch (error) {
      if (!isJsonataError(error)) throw error;
      throw new ExpressionSyntaxError(`JSONata ${error.code}: ${error.message} in ${JSON.stringify(source)}`, positionIn(source, error.position, origin.start));
    }
  }

  async evaluate(input: unknown, bindings: Bindings): Promise<unknown> {
    try {
      return await this.compiled.evaluate(input, bindings);
    } catch (error) {
      throw this.failure(error);
    }
  }

  /** The error to throw for `error`, raised while evaluating this expression. */
  private failure(error: unknown): unknown {
    if (isJsonataError(error)) {
      if (error.code === USER_ERROR) return new MappingError(error.message);
      const at = positionIn(this.source, error.position, this.origin.start);
      return new ExpressionFailedError(`${this.origin.file}:${at.line}:${at.column} ${this.origin.path}: JSONata ${error.code}: ${error.message}`, { cause: error });
    }
    // A bound function called with the wrong arguments ($xref with an unknown system, ...).
    if (error instanceof TypeError) return new ExpressionFailedError(`${this.where()}: ${error.message}`, { cause: error });
    return error;
  }

  private where(): string {
    return `${this.origin.file}:${this.origin.start.line}:${this.origin.start.column} ${this.origin.path}`;
  }

  /** Throws an ExpressionFailedError at this expression: `what` is wrong with its result. */
  fail(what: string): never {
    throw new ExpressionFailedError(`${this.where()}: ${what}`);
  }
}

/**
 * JSONata's truth (as `$boolean`): undefined, null, false, 0, '', empty arrays and objects and
 * functions are false; an array is true when one of its members is.
 */
export function holds(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.some(holds);
  switch (typeof value) {
    case 'boolean': return value;
    case 'number': return value !== 0;
    case 'string': return value.length > 0;
    case 'function': return false;
    case 'object': return Object.keys(value).length > 0;
    default: return true;
  }
}

/**
 * A JSONata result as plain JSON data: JSONata's result arrays carry a `sequence` flag and its
 * objects have no prototype; undefined members and functions are left out, as JSON.stringify
 * would, so actions compare and print like a TypeScript mapping's.
 */
export function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((item) => item !== undefined && typeof item !== 'function').map(plain);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    if (member !== undefined && typeof member !== 'function') out[key] = plain(member);
  }
  return out;
}
