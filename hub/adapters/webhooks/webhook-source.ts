import { readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { z } from 'zod';
import { eventEntry, type EventFullName } from '../../../catalogue/index.js';
import { loadConfig } from '../../config/load-config.js';
import { Expression, ExpressionSyntaxError, holds, plain } from '../../declarative/expression.js';
import { SourceFile, formatProblem, pathText, schemaProblems, type DocumentPath, type Problem } from '../../declarative/source-file.js';
import { ERRORS, SwitchboardError } from '../../errors/index.js';
import { eventSchema } from '../../../schemas/schema-catalog.js';
import { signatureVerifier, type RequestHeaders, type SignatureSpec, type SignatureVerifier, type VerifiedDelivery } from './signature.js';
import { WebhookRefusedError } from './webhook-errors.js';
import { webhookSourceJsonSchema } from './webhook-source-schema.js';

/** A source file breaks a rule; every problem with its line. */
export class WebhookSourceInvalidError extends SwitchboardError {
  constructor(readonly problems: readonly string[]) {
    super(ERRORS.WEBHOOK_SOURCE_INVALID.code, `webhook source files have ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  }
}

/** The file as written, once its JSON Schema holds. */
interface SourceFileSpec {
  readonly name: string;
  readonly description: string;
  readonly signature: SignatureSpec;
  readonly deliveryId?: { readonly header?: string; readonly field?: string };
  readonly payload?: Record<string, unknown>;
  readonly events: readonly { readonly when?: string; readonly eventType: string; readonly value: string; readonly correlationId?: string }[];
}

/** What a source's expressions see. */
export interface DeliveryInput {
  /** The JSON body. */
  readonly payload: unknown;
  /** Request headers, lower-case names. */
  readonly headers: RequestHeaders;
  readonly deliveryId: string;
  /** When the delivery was received, epoch ms. */
  readonly receivedAt: number;
}

/** The catalogue event a delivery becomes. */
export interface MappedEvent {
  readonly eventType: EventFullName;
  readonly value: unknown;
  readonly correlationId?: string;
}

/**
 * A webhook source, compiled from its file: its signature check, where the delivery id is,
 * the payload's JSON Schema, and the cases mapping a payload to a catalogue event.
 */
export class WebhookSource {
  constructor(
    readonly name: string,
    readonly description: string,
    readonly file: string,
    private readonly verifier: SignatureVerifier,
    private readonly deliveryId: { readonly header: string } | { readonly expression: Expression } | 'signed',
    private readonly validatePayload: ValidateFunction | undefined,
    private readonly cases: readonly { readonly when?: Expression; readonly eventType: EventFullName; readonly value: Expression; readonly correlationId?: Expression }[],
  ) {}

  /** The event types this source maps deliveries to (what it may publish). */
  get eventTypes(): readonly EventFullName[] {
    return [...new Set(this.cases.map((item) => item.eventType))];
  }

  /** Throws a 401 WebhookRefusedError unless the delivery is signed with the source's secret within the tolerance. */
  verify(headers: RequestHeaders, body: Buffer, nowMs?: number): VerifiedDelivery {
    return this.verifier.verify(headers, body, nowMs);
  }

  /** Throws a 422 WebhookRefusedError naming the first field the payload's JSON Schema refuses. */
  checkPayload(payload: unknown): void {
    if (!this.validatePayload || this.validatePayload(payload)) return;
    const [error] = this.validatePayload.errors as ErrorObject[];
    const missing = (error.params as { missingProperty?: string; additionalProperty?: string }).missingProperty ?? (error.params as { additionalProperty?: string }).additionalProperty;
    const parts = ['payload', ...error.instancePath.split('/').slice(1), ...(missing ? [missing] : [])];
    const field = parts.join('.');
    const message = error.keyword === 'required' ? `${field} is required` : error.keyword === 'additionalProperties' ? `${field} is not a known field` : `${field} ${error.message ?? 'is invalid'}`;
    throw new WebhookRefusedError(ERRORS.WEBHOOK_PAYLOAD_INVALID.code, message, field);
  }

  /** The delivery's id: the signed one, a header, or the payload field the file names; 400 when it is missing. */
  async deliveryIdOf(headers: RequestHeaders, payload: unknown, verified: VerifiedDelivery): Promise<string> {
    let id: unknown;
    if (this.deliveryId === 'signed') id = verified.id;
    else if ('header' in this.deliveryId) id = headers[this.deliveryId.header.toLowerCase()];
    else id = await this.deliveryId.expression.evaluate({ payload, headers }, {});
    if ((typeof id !== 'string' || id === '') && typeof id !== 'number') {
      throw new WebhookRefusedError(ERRORS.WEBHOOK_DELIVERY_ID_MISSING.code, `the delivery has no id (${this.deliveryId === 'signed' ? 'webhook-id' : 'header' in this.deliveryId ? this.deliveryId.header : this.deliveryId.expression.source})`);
    }
    return String(id);
  }

  /**
   * The event the delivery becomes (the first case whose condition holds), its value checked
   * against the event's Avro schema (422 naming the field when it does not fit); undefined when
   * no case holds.
   */
  async map(input: DeliveryInput): Promise<MappedEvent | undefined> {
    for (const item of this.cases) {
      if (item.when && !holds(await item.when.evaluate(input, {}))) continue;
      const value = plain(await item.value.evaluate(input, {}));
      const problems: string[] = [];
      const fields: string[] = [];
      eventSchema(item.eventType).type.isValid(value, {
        errorHook: (path: string[], invalid: unknown, type: { typeName: string }) => {
          fields.push(['value', ...path].join('.'));
          problems.push(`${['value', ...path].join('.')}: ${JSON.stringify(invalid) ?? 'nothing'} is not a valid ${type.typeName}`);
        },
      });
      if (problems.length > 0) {
        throw new WebhookRefusedError(ERRORS.WEBHOOK_PAYLOAD_INVALID.code, `the payload maps to a ${item.eventType} the schema refuses: ${problems.slice(0, 5).join('; ')}`, fields[0]);
      }
      const correlation = item.correlationId ? await item.correlationId.evaluate(input, {}) : undefined;
      return { eventType: item.eventType, value, ...(typeof correlation === 'string' && correlation !== '' ? { correlationId: correlation } : {}) };
    }
    return undefined;
  }

  /** The record key the event gets (its catalogue key field). */
  static keyOf(event: MappedEvent): string {
    return String((event.value as Record<string, unknown>)[eventEntry(event.eventType).keyField]);
  }
}

let validator: ValidateFunction | undefined;

/** The environment variable holding a source's secret. */
export function secretVariable(name: string): string {
  return `WEBHOOK_${name.toUpperCase().replace(/-/g, '_')}_SECRET`;
}

/** What reading one source file gave: its parts, or the problems that stop it. */
interface SourceRead {
  readonly spec: SourceFileSpec | undefined;
  readonly build: ((secret: string) => WebhookSource) | undefined;
  readonly problems: readonly Problem[];
}

/**
 * Reads a source file without throwing: JSON Schema problems at their lines, the rules a
 * schema cannot say (which signature fields go with which scheme, the file's name), the
 * payload schema (compiled by ajv) and every JSONata expression (compiled once).
 */
export function readWebhookSource(file: string, text: string = readFileSync(file, 'utf8')): SourceRead {
  const source = new SourceFile(file, text);
  const failed = (problems: readonly Problem[]): SourceRead => ({ spec: undefined, build: undefined, problems });
  if (source.syntaxProblems.length > 0) return failed(source.syntaxProblems);
  validator ??= new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(webhookSourceJsonSchema());
  if (!validator(source.data)) return failed(schemaProblems(source, validator.errors ?? []));
  const spec = source.data as SourceFileSpec;
  const problems: Problem[] = [];
  const problem = (path: DocumentPath, message: string) => problems.push(source.problem(path, message));
  const expression = (path: DocumentPath, text: string): Expression | undefined => {
    try {
      return new Expression(text, { file, path: pathText(path), start: source.textStart(path) });
    } catch (error) {
      if (!(error instanceof ExpressionSyntaxError)) throw error;
      problems.push({ file, line: error.position.line, column: error.position.column, path: pathText(path), message: error.message });
      return undefined;
    }
  };

  if (basename(file, extname(file)) !== spec.name) problem(['name'], `must be the file's name, ${JSON.stringify(basename(file, extname(file)))}`);
  const hmacFields = ['header', 'timestampHeader', 'idHeader', 'encoding', 'prefix', 'signedContent'] as const;
  const signature = spec.signature as Record<string, unknown>;
  if (spec.signature.scheme === 'hmac-sha256') {
    for (const field of ['header', 'timestampHeader'] as const) if (signature[field] === undefined) problem(['signature'], `the hmac-sha256 scheme needs ${field}`);
    if (String(signature.signedContent ?? '').includes('{id}') && signature.idHeader === undefined) problem(['signature', 'signedContent'], 'signs {id}, so idHeader is needed');
  } else {
    for (const field of hmacFields) if (signature[field] !== undefined) problem(['signature', field], `${field} is a setting of the hmac-sha256 scheme, not of ${spec.signature.scheme}`);
  }
  if (!spec.deliveryId && spec.signature.scheme !== 'standard-webhooks') problem([], 'deliveryId is required (a header or a payload field): repeated deliveries are recognised by it');
  const deliveryField = spec.deliveryId?.field === undefined ? undefined : expression(['deliveryId', 'field'], spec.deliveryId.field);

  let validatePayload: ValidateFunction | undefined;
  if (spec.payload) {
    try {
      validatePayload = new Ajv({ allErrors: false, strict: false }).compile(spec.payload);
    } catch (error) {
      problem(['payload'], `is not a valid JSON Schema: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const cases = spec.events.map((item, index) => {
    const path = ['events', index];
    return {
      when: item.when === undefined ? undefined : expression([...path, 'when'], item.when),
      eventType: item.eventType as EventFullName,
      value: expression([...path, 'value'], item.value),
      correlationId: item.correlationId === undefined ? undefined : expression([...path, 'correlationId'], item.correlationId),
    };
  });
  if (problems.length > 0) return failed(problems);

  const deliveryId = deliveryField ? { expression: deliveryField } : spec.deliveryId?.header ? { header: spec.deliveryId.header } : ('signed' as const);
  const compiled = cases.map((item) => ({ eventType: item.eventType, value: item.value as Expression, ...(item.when ? { when: item.when } : {}), ...(item.correlationId ? { correlationId: item.correlationId } : {}) }));
  return {
    spec,
    problems: [],
    build: (secret) => new WebhookSource(spec.name, spec.description, file, signatureVerifier(spec.signature, secret), deliveryId, validatePayload, compiled),
  };
}

/**
 * Every source of `dir` (`*.yaml`), with its secret from `WEBHOOK_<NAME>_SECRET` (through
 * loadConfig: a missing secret stops the process, naming the variable). Throws
 * WebhookSourceInvalidError listing every problem of every file, each at its line.
 *
 * @example
 * ```ts
 * const sources = loadWebhookSources('webhooks', process.env); // [WebhookSource { name: 'shop', ... }]
 * ```
 */
export function loadWebhookSources(dir: string, env: NodeJS.ProcessEnv = process.env): WebhookSource[] {
  const files = readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)).sort().map((name) => join(dir, name));
  const reads = files.map((file) => readWebhookSource(file));
  const problems = reads.flatMap((read) => read.problems.map(formatProblem));
  if (problems.length > 0) throw new WebhookSourceInvalidError(problems);
  const names = reads.map((read) => read.spec?.name as string);
  const secrets = loadConfig('webhooks', Object.fromEntries(names.map((name) => [secretVariable(name), z.string().min(16, 'must be at least 16 characters').describe(`the signing secret of webhook source ${name}`)])), env) as Record<string, string>;
  return reads.map((read, index) => (read.build as (secret: string) => WebhookSource)(secrets[secretVariable(names[index] as string)] as string));
}
