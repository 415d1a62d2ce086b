import { catalogueTopics, type EventFullName, type EventTypeMap, type SystemName } from '../../catalogue/index.js';
import { MappingError, http, produce, upsert, xref, type Action, type AnswerVerdict, type ConnectorEvent, type HttpResponse, type MappingContext, type XrefIds } from '../sdk/index.js';
import type { ActionSpec, AnswerRulesSpec, CaseSpec, ConnectorFileSpec, HttpSpec, StepSpec, TargetSpec, UpsertSpec } from './connector-file.js';
import { Expression, ExpressionSyntaxError, holds, plain, type Bindings } from './expression.js';
import { MAPPING_FUNCTIONS, mappingFunctions } from './mapping-functions.js';
import { pathText, type DocumentPath, type Problem, type SourceFile } from './source-file.js';
import { Template } from './template.js';

/** What expressions see: the event (and, after an HTTP call, the answer as `response`). */
interface ExpressionInput {
  readonly type: string;
  readonly key: string;
  readonly value: unknown;
  readonly metadata: unknown;
  readonly response?: HttpResponse;
}

interface CompiledStep {
  readonly lets: readonly (readonly [string, Expression])[];
  readonly refusals: readonly { readonly when: Expression; readonly message: Template }[];
  readonly actions: readonly CompiledAction[];
}

interface CompiledCase extends CompiledStep {
  readonly when: Expression | undefined;
}

interface CompiledAction {
  readonly when: Expression | undefined;
  build(input: ExpressionInput, scope: Bindings): Promise<Action>;
}

type Classifier = (input: ExpressionInput, scope: Bindings, response: HttpResponse) => Promise<AnswerVerdict>;

/** Which kinds of target each target field belongs to (`system` for a catalogue system). */
const TARGET_FIELDS: Readonly<Record<string, readonly string[]>> = {
  timeoutMs: ['system', 'http'],
  name: ['http', 'postgres'],
  auth: ['http'],
  rateLimit: ['http'],
  table: ['postgres'],
  keyColumn: ['postgres'],
};

/** Fields a target of each kind must have. */
const REQUIRED_TARGET_FIELDS: Readonly<Record<string, readonly (keyof TargetSpec)[]>> = {
  http: ['name', 'auth'],
  postgres: ['name', 'table'],
};

/** Headers the runtime sets on every call; a connector file may not set them. */
const RUNTIME_HEADERS = new Set(['idempotency-key', 'x-correlation-id', 'x-causation-id', 'traceparent', 'accept', 'content-type']);

/** The mapping of a declarative connector: a `map` function as `defineConnector` takes it. */
export type DeclarativeMap = (event: ConnectorEvent, ctx: MappingContext) => Promise<readonly Action[]>;

/**
 * Compiles a validated connector file into its `map` function, once: every JSONata
 * expression and template is parsed here, and the checks JSON Schema cannot express (event
 * types on the source topics, one kind per action, statuses in two lists, headers the runtime
 * owns, ...) are made. Each problem is recorded with its line; `compile()` returns undefined
 * when there is any.
 */
export class MappingCompiler {
  readonly problems: Problem[] = [];
  /** The event types of the produce actions, in the order they appear (each once). */
  readonly produced: EventFullName[] = [];

  constructor(private readonly source: SourceFile, private readonly spec: ConnectorFileSpec) {}

  compile(): DeclarativeMap | undefined {
    const { spec } = this;
    this.checkSourceAndTarget();
    const filter = spec.filter === undefined ? undefined : this.expression(['filter'], spec.filter);
    const defaults = spec.answers ?? {};
    this.checkAnswers(['answers'], defaults, []);
    const cases = spec.mapping.map((item, index) => this.compileCase(['mapping', index], item, defaults));
    if (this.problems.length > 0) return undefined;

    return async (event, ctx) => {
      const input: ExpressionInput = { type: event.type, key: event.key, value: event.value, metadata: event.metadata };
      const bindings = mappingFunctions(ctx);
      if (filter && !holds(await filter.evaluate(input, bindings))) return [];
      for (const mappingCase of cases) {
        if (mappingCase.when && !holds(await mappingCase.when.evaluate(input, bindings))) continue;
        return runStep(mappingCase, input, bindings);
      }
      return [];
    };
  }

  private checkSourceAndTarget(): void {
    const { source, target } = this.spec;
    const topics = catalogueTopics().filter((topic) => source.topics.includes(topic.name));
    source.eventTypes.forEach((eventType, index) => {
      if (!topics.some((topic) => topic.eventTypes.includes(eventType))) {
        this.problem(['source', 'eventTypes', index], `event type ${eventType} is not published on ${source.topics.join(', ')}`);
      }
    });
    if ((target.system === undefined) === (target.kind === undefined)) {
      this.problem(['target'], 'target is one of { system: crm | erp | scm }, { kind: topic }, { kind: http, name, auth } or { kind: postgres, name, table }');
      return;
    }
    const kind = target.kind ?? 'system';
    for (const [field, kinds] of Object.entries(TARGET_FIELDS)) {
      if (target[field as keyof TargetSpec] !== undefined && !kinds.includes(kind)) this.problem(['target', field], `${field} is not a setting of a ${kind} target`, true);
    }
    for (const field of REQUIRED_TARGET_FIELDS[kind] ?? []) {
      if (target[field] === undefined) this.problem(['target'], `a ${kind} target needs ${field}`);
    }
  }

  private compileCase(path: DocumentPath, item: CaseSpec, defaults: AnswerRulesSpec): CompiledCase {
    return { when: item.when === undefined ? undefined : this.expression([...path, 'when'], item.when), ...this.compileStep(path, item, defaults) };
  }

  private compileStep(path: DocumentPath, step: StepSpec, defaults: AnswerRulesSpec): CompiledStep {
    const lets = Object.entries(step.let ?? {}).flatMap(([name, text]) => {
      if ((MAPPING_FUNCTIONS as readonly string[]).includes(name)) this.problem([...path, 'let', name], `$${name} is a built-in function; choose another name`, true);
      const expression = this.expression([...path, 'let', name], text);
      return expression ? [[name, expression] as const] : [];
    });
    const refusals = (step.refuse ?? []).flatMap((refusal, index) => {
      const when = this.expression([...path, 'refuse', index, 'when'], refusal.when);
      const message = this.template([...path, 'refuse', index, 'message'], refusal.message);
      return when && message ? [{ when, message }] : [];
    });
    const actions = step.actions.flatMap((action, index) => {
      const compiled = this.compileAction([...path, 'actions', index], action, defaults);
      return compiled ? [compiled] : [];
    });
    return { lets, refusals, actions };
  }

  private compileAction(path: DocumentPath, action: ActionSpec, defaults: AnswerRulesSpec): CompiledAction | undefined {
    const kinds = (['http', 'produce', 'xref.put', 'upsert'] as const).filter((kind) => action[kind] !== undefined);
    if (kinds.length !== 1) {
      this.problem(path, `an action has exactly one of http, produce, xref.put, upsert${kinds.length > 1 ? `, not ${kinds.join(' and ')}` : ''}`);
      return undefined;
    }
    const when = action.when === undefined ? undefined : this.expression([...path, 'when'], action.when);
    const build = action.http
      ? this.compileHttp([...path, 'http'], action.http, defaults)
      : action.produce
        ? this.compileProduce([...path, 'produce'], action.produce)
        : action.upsert
          ? this.compileUpsert([...path, 'upsert'], action.upsert)
          : this.compileXrefPut([...path, 'xref.put'], action['xref.put'] as NonNullable<ActionSpec['xref.put']>);
    return build ? { when, build } : undefined;
  }

  private compileHttp(path: DocumentPath, spec: HttpSpec, defaults: AnswerRulesSpec): CompiledAction['build'] | undefined {
    const { kind } = this.spec.target;
    if (kind === 'topic' || kind === 'postgres') this.problem(path, `an http action needs a target system or an http target; this connector's target is a ${kind === 'topic' ? 'topic' : 'PostgreSQL table'}`);
    const pathTemplate = this.template([...path, 'path'], spec.path);
    if (!spec.path.startsWith('/')) this.problem([...path, 'path'], 'the path starts with "/"');
    const headers = Object.entries(spec.headers ?? {}).flatMap(([name, text]) => {
      if (RUNTIME_HEADERS.has(name.toLowerCase())) this.problem([...path, 'headers', name], `${name} is set by the runtime`, true);
      const value = this.template([...path, 'headers', name], text);
      return value ? [[name, value] as const] : [];
    });
    const body = spec.body === undefined ? undefined : this.expression([...path, 'body'], spec.body);
    this.checkAnswers([...path, 'answers'], { ...defaults, ...spec.answers }, spec.okStatuses ?? []);
    const classify = this.compileAnswers([...path, 'answers'], spec.answers ?? {}, defaults);
    const onResponse = spec.onResponse === undefined ? undefined : this.compileStep([...path, 'onResponse'], spec.onResponse, defaults);
    if (!pathTemplate) return undefined;
    const { method, okStatuses } = spec;

    return async (input, scope) => {
      const request: Parameters<typeof http>[0] = { method, path: await pathTemplate.render(input, scope, encodeURIComponent) };
      if (headers.length > 0) {
        const values: Record<string, string> = {};
        for (const [name, template] of headers) values[name] = await template.render(input, scope);
        request.headers = values;
      }
      if (body) {
        const value = await body.evaluate(input, scope);
        if (value !== undefined) request.body = plain(value);
      }
      if (okStatuses) request.okStatuses = okStatuses;
      if (classify) request.classify = (response) => classify(input, scope, response);
      if (onResponse) request.onResponse = (response) => runStep(onResponse, { ...input, response }, scope);
      return http(request);
    };
  }

  private compileProduce(path: DocumentPath, spec: NonNullable<ActionSpec['produce']>): CompiledAction['build'] | undefined {
    const key = this.expression([...path, 'key'], spec.key);
    const value = this.expression([...path, 'value'], spec.value);
    if (!key || !value) return undefined;
    const eventType = spec.eventType as EventFullName;
    if (!this.produced.includes(eventType)) this.produced.push(eventType);
    return async (input, scope) => {
      const id = await key.evaluate(input, scope);
      if ((typeof id !== 'string' || id === '') && typeof id !== 'number') key.fail(`the key gave ${JSON.stringify(id) ?? 'nothing'}, not a string`);
      return produce({ eventType, key: String(id), value: plain(await value.evaluate(input, scope)) as EventTypeMap[typeof eventType] });
    };
  }

  private compileUpsert(path: DocumentPath, spec: UpsertSpec): CompiledAction['build'] | undefined {
    if (this.spec.target.kind !== 'postgres') this.problem(path, 'an upsert action needs a postgres target (target: { kind: postgres, name, table })');
    const key = spec.key === undefined ? undefined : this.expression([...path, 'key'], spec.key);
    const row = this.expression([...path, 'row'], spec.row);
    if (!row || (spec.key !== undefined && !key)) return undefined;
    return async (input, scope) => {
      const id = key ? await key.evaluate(input, scope) : input.key;
      if ((typeof id !== 'string' || id === '') && typeof id !== 'number') (key ?? row).fail(`the key gave ${JSON.stringify(id) ?? 'nothing'}, not a string`);
      const values = plain(await row.evaluate(input, scope));
      if (typeof values !== 'object' || values === null || Array.isArray(values)) row.fail(`the row gave ${JSON.stringify(values) ?? 'nothing'}, not an object of column values`);
      return upsert({ key: String(id), row: values as Record<string, unknown> });
    };
  }

  private compileXrefPut(path: DocumentPath, spec: NonNullable<ActionSpec['xref.put']>): CompiledAction['build'] | undefined {
    const ids = Object.entries(spec.ids).flatMap(([system, text]) => {
      const expression = this.expression([...path, 'ids', system], text as string);
      return expression ? [[system as SystemName, expression] as const] : [];
    });
    if (ids.length !== Object.keys(spec.ids).length) return undefined;
    return async (input, scope) => {
      const values: XrefIds = {};
      for (const [system, expression] of ids) {
        const id = await expression.evaluate(input, scope);
        // Like a TypeScript mapping reading an id from an answer that has none: the event is refused.
        if ((typeof id !== 'string' || id === '') && typeof id !== 'number') {
          throw new MappingError(`${spec.kind} cross-reference: the ${system.toUpperCase()} id (${expression.source}) is ${JSON.stringify(id) ?? 'missing'}`);
        }
        values[system] = String(id);
      }
      return xref.put(spec.kind, values);
    };
  }

  private checkAnswers(path: DocumentPath, rules: AnswerRulesSpec, okStatuses: readonly number[]): void {
    const lists = { final: rules.final ?? [], retriable: rules.retriable ?? [], okStatuses };
    const seen = new Map<number, string>();
    for (const [list, statuses] of Object.entries(lists)) {
      for (const status of statuses) {
        const other = seen.get(status);
        if (other) this.problem(path, `status ${status} is both in ${other} and in ${list}`);
        seen.set(status, list);
      }
    }
  }

  /** The action's own rules on answers (at `path`), each field falling back to the connector's `answers`. */
  private compileAnswers(path: DocumentPath, own: AnswerRulesSpec, defaults: AnswerRulesSpec): Classifier | undefined {
    const condition = (field: 'finalWhen' | 'retriableWhen'): Expression | undefined => {
      const text = own[field] ?? defaults[field];
      return text === undefined ? undefined : this.expression(own[field] !== undefined ? [...path, field] : ['answers', field], text);
    };
    const finalWhen = condition('finalWhen');
    const retriableWhen = condition('retriableWhen');
    const final = new Set(own.final ?? defaults.final ?? []);
    const retriable = new Set(own.retriable ?? defaults.retriable ?? []);
    if (final.size === 0 && retriable.size === 0 && !finalWhen && !retriableWhen) return undefined;
    return async (input, scope, response) => {
      if (final.has(response.status)) return 'final';
      if (retriable.has(response.status)) return 'retriable';
      const answered = { ...input, response };
      if (finalWhen && holds(await finalWhen.evaluate(answered, scope))) return 'final';
      if (retriableWhen && holds(await retriableWhen.evaluate(answered, scope))) return 'retriable';
      return undefined;
    };
  }

  private expression(path: DocumentPath, text: string): Expression | undefined {
    return this.compiled(path, () => new Expression(text, this.origin(path)));
  }

  private template(path: DocumentPath, text: string): Template | undefined {
    return this.compiled(path, () => new Template(text, this.origin(path)));
  }

  private compiled<T>(path: DocumentPath, build: () => T): T | undefined {
    try {
      return build();
    } catch (error) {
      if (!(error instanceof ExpressionSyntaxError)) throw error;
      this.problems.push({ file: this.source.file, line: error.position.line, column: error.position.column, path: pathText(path), message: error.message });
      return undefined;
    }
  }

  private origin(path: DocumentPath) {
    return { file: this.source.file, path: pathText(path), start: this.source.textStart(path) };
  }

  private problem(path: DocumentPath, message: string, atKey = false): void {
    this.problems.push(this.source.problem(path, message, atKey));
  }
}

/** Binds the step's `let`s in order, refuses the event if a refusal holds, then builds the actions whose `when` holds. */
async function runStep(step: CompiledStep, input: ExpressionInput, bindings: Bindings): Promise<readonly Action[]> {
  const scope: Bindings = step.lets.length > 0 ? { ...bindings } : bindings;
  for (const [name, expression] of step.lets) scope[name] = await expression.evaluate(input, scope);
  for (const refusal of step.refusals) {
    if (holds(await refusal.when.evaluate(input, scope))) throw new MappingError(await refusal.message.render(input, scope));
  }
  const actions: Action[] = [];
  for (const action of step.actions) {
    if (action.when && !holds(await action.when.evaluate(input, scope))) continue;
    actions.push(await action.build(input, scope));
  }
  return actions;
}
