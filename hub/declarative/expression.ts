import jsonata from 'jsonata';
import { ERRORS, MappingError, PermanentError, isSwitchboardError } from '../errors/index.js';
import type { Position, TextStart } from './source-file.js';

/** Variables and functions an expression sees as `$name`. */
export type Bindings = Record<string, unknown>;

/** Where an expression came from: for messages at load (syntax) and at run time (evaluation). */
export interface ExpressionOrigin {
  readonly file: string;
  /** e.g. `mapping[0].actions[0].http.body`. */
  readonly path: string;
  /** Where the expression's text starts in the file. */
  readonly start: TextStart;
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

/** The line and column in the file of character `offset` (1-based, as JSONata counts) of `text`, whose first character is at `start`. */
export function positionIn(text: string, offset: number | undefined, start: TextStart): TextStart {
  const before = text.slice(0, Math.max(0, (offset ?? 1) - 1));
  const lines = before.split('\n');
  return lines.length === 1
    ? { line: start.line, column: start.column + before.length, indent: start.indent }
    : { line: start.line + lines.length - 1, column: start.indent + (lines[lines.length - 1] as string).length + 1, indent: start.indent };
}

/** An expression as quoted in a message: in full when short and on one line. */
function quoted(source: string): string {
  return source.includes('\n') || source.length > 80 ? '' : ` in ${JSON.stringify(source)}`;
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
  /** A direct evaluation of simple expressions (see {@link direct}); undefined when JSONata must evaluate. */
  private readonly shortcut: Shortcut | undefined;

  /** Throws ExpressionSyntaxError when `source` does not parse. */
  constructor(readonly source: string, readonly origin: ExpressionOrigin) {
    try {
      this.compiled = jsonata(source);
    } catch (error) {
      if (!isJsonataError(error)) throw error;
      throw new ExpressionSyntaxError(`JSONata ${error.code}: ${error.message}${quoted(source)}`, positionIn(source, error.position, origin.start));
    }
    this.shortcut = direct(this.compiled.ast());
  }

  async evaluate(input: unknown, bindings: Bindings): Promise<unknown> {
    if (this.shortcut) {
      const value = this.shortcut(input, bindings);
      if (value !== JSONATA) return value;
    }
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

/** Returned by a {@link Shortcut} that meets a value it does not handle: JSONata evaluates instead. */
const JSONATA = Symbol('evaluate with JSONata');

type Shortcut = (input: unknown, bindings: Bindings) => unknown;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** True when `node` has no keys besides `keys` (a step with a predicate, a group, a focus ... is not simple). */
const only = (node: object, keys: readonly string[]) => Object.keys(node).every((key) => keys.includes(key));

/**
 * A direct evaluation of the expressions most mappings are made of, which JSONata's
 * asynchronous evaluator makes costly per event (measured in bench/connector-throughput.bench.ts):
 * literals, `$variable`, a path of plain names (`value.orderId`) through objects, and object
 * constructors of those (`{ 'orderId': value.orderId }`). Any value where JSONata's sequence
 * rules would apply (an array on or at the end of a path, a function) gives {@link JSONATA}, and
 * the whole expression is evaluated by JSONata: the result is the same either way.
 */
function direct(node: jsonata.ExprNode): Shortcut | undefined {
  // jsonata.d.ts leaves `path` out of the node types its parser makes.
  switch (node.type as string) {
    case 'string':
    case 'number':
    case 'value':
      return only(node, ['type', 'value', 'position']) ? () => node.value as unknown : undefined;
    case 'variable': {
      const name = node.value as string;
      if (name === '' || !only(node, ['type', 'value', 'position'])) return undefined;
      return (_input, bindings) => {
        const value = bindings[name];
        return Array.isArray(value) || typeof value === 'function' ? JSONATA : value;
      };
    }
    case 'path': {
      const steps = node.steps ?? [];
      if (!only(node, ['type', 'steps']) || steps.length === 0 || !steps.every((step) => step.type === 'name' && only(step, ['type', 'value', 'position']))) return undefined;
      const names = steps.map((step) => step.value as string);
      return (input) => {
        let value: unknown = input;
        for (const name of names) {
          if (value === undefined) return undefined;
          if (!isRecord(value)) return JSONATA;
          value = value[name];
        }
        return Array.isArray(value) ? JSONATA : value;
      };
    }
    case 'unary': {
      const pairs = node.lhs as [jsonata.ExprNode, jsonata.ExprNode][] | undefined;
      if (node.value !== '{' || !Array.isArray(pairs) || !only(node, ['type', 'value', 'position', 'lhs'])) return undefined;
      const members: [string, Shortcut][] = [];
      for (const [key, value] of pairs) {
        const member = key.type === 'string' && only(key, ['type', 'value', 'position']) ? direct(value) : undefined;
        // A key given twice is JSONata's error to raise.
        if (!member || members.some(([name]) => name === key.value)) return undefined;
        members.push([key.value as string, member]);
      }
      return (input, bindings) => {
        const out: Record<string, unknown> = {};
        for (const [key, member] of members) {
          const value = member(input, bindings);
          if (value === JSONATA) return JSONATA;
          if (value !== undefined) out[key] = value;
        }
        return out;
      };
    }
    default:
      return undefined;
  }
}
