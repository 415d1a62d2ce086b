import { z } from 'zod';
import { loadConfig, port } from '../../config/load-config.js';
import { SchemaNotFoundError, SchemaRegistryRequestError, SchemaRegistryUnavailableError } from './errors.js';

/** The default registry: Switchboard's built-in one (`switchboard registry`). */
export const DEFAULT_SCHEMA_REGISTRY_URL = 'http://127.0.0.1:8081';

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
const ACCEPT = 'application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, application/json';

/** Compatibility levels of the Confluent Schema Registry. */
export type CompatibilityLevel =
  | 'BACKWARD'
  | 'BACKWARD_TRANSITIVE'
  | 'FORWARD'
  | 'FORWARD_TRANSITIVE'
  | 'FULL'
  | 'FULL_TRANSITIVE'
  | 'NONE';

/** One version of a subject, as the registry returns it. */
export interface SubjectVersion {
  readonly subject: string;
  readonly id: number;
  readonly version: number;
  /** The schema JSON string. */
  readonly schema: string;
}

/** The answer of a compatibility check. */
export interface CompatibilityResult {
  readonly compatible: boolean;
  /** With verbose checks: why not, naming the field and the rule. */
  readonly messages: readonly string[];
}

/**
 * What the codec needs from a schema registry. {@link SchemaRegistryClient} implements it over
 * HTTP; tests may implement it with a map.
 */
export interface SchemaLookup {
  /** Registers `schema` under `subject` (or finds it, when identical) and returns its global id. */
  register(subject: string, schema: string): Promise<number>;
  /** Finds `schema` under `subject` without registering it; SchemaNotFoundError when absent. */
  lookup(subject: string, schema: string): Promise<SubjectVersion>;
  /** The schema JSON string of a global id; SchemaNotFoundError when the id is unknown. */
  getSchemaById(id: number): Promise<string>;
}

/** Client settings. */
export interface SchemaRegistryClientOptions {
  /** Base URL, e.g. `http://127.0.0.1:8081`. User info in the URL (`https://key:secret@host`) becomes basic auth. */
  readonly url: string;
  /** Per-request timeout in milliseconds. */
  readonly timeoutMs?: number;
}

/**
 * Reads `SCHEMA_REGISTRY_URL` and `SCHEMA_REGISTRY_TIMEOUT_MS` (validated, with defaults).
 * `builtIn` is true when no URL is set: the built-in registry on 127.0.0.1 is meant, at
 * `SCHEMA_REGISTRY_PORT` (default 8081) — the port `switchboard up` starts it on, so every
 * process of one system finds it without a second setting.
 */
export function loadSchemaRegistryClientConfig(env: NodeJS.ProcessEnv = process.env): Required<SchemaRegistryClientOptions> & { readonly builtIn: boolean } {
  const config = loadConfig(
    'schema registry client',
    {
      SCHEMA_REGISTRY_URL: z
        .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. http://127.0.0.1:8081' })
        .optional()
        .describe('URL of a Confluent-compatible schema registry; default: the built-in one'),
      SCHEMA_REGISTRY_TIMEOUT_MS: z.coerce
        .number()
        .int()
        .min(1, 'must be a positive number of milliseconds')
        .default(10_000)
        .describe('timeout of one registry request in milliseconds'),
      SCHEMA_REGISTRY_PORT: port
        .optional()
        .describe('port of the built-in registry when SCHEMA_REGISTRY_URL is not set (default 8081)'),
    },
    env,
  );
  const builtInUrl = config.SCHEMA_REGISTRY_PORT === undefined ? DEFAULT_SCHEMA_REGISTRY_URL : `http://127.0.0.1:${config.SCHEMA_REGISTRY_PORT}`;
  return { url: config.SCHEMA_REGISTRY_URL ?? builtInUrl, timeoutMs: config.SCHEMA_REGISTRY_TIMEOUT_MS, builtIn: config.SCHEMA_REGISTRY_URL === undefined };
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

function asRecord(value: Json | undefined): { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}

function toSubjectVersion(body: Json): SubjectVersion {
  const record = asRecord(body);
  return {
    subject: String(record.subject),
    id: Number(record.id),
    version: Number(record.version),
    schema: String(record.schema),
  };
}

/**
 * A client of the Confluent Schema Registry REST API (Switchboard's built-in registry,
 * Confluent, Apicurio, Karapace). Errors are typed: 404 → {@link SchemaNotFoundError};
 * 5xx, 429, timeouts and network errors → {@link SchemaRegistryUnavailableError} (retriable);
 * other 4xx → {@link SchemaRegistryRequestError}.
 *
 * @example
 * ```ts
 * const registry = SchemaRegistryClient.fromEnv();
 * const id = await registry.register('crm.customer.v1-switchboard.crm.CustomerCreated', schemaJson);
 * ```
 */
export class SchemaRegistryClient implements SchemaLookup {
  /** Base URL without a trailing slash or user info. */
  readonly url: string;
  private readonly timeoutMs: number;
  private readonly authorization: string | undefined;

  constructor(options: SchemaRegistryClientOptions) {
    const parsed = new URL(options.url);
    this.authorization =
      parsed.username || parsed.password
        ? `Basic ${Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString('base64')}`
        : undefined;
    parsed.username = '';
    parsed.password = '';
    this.url = parsed.toString().replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** A client configured from `SCHEMA_REGISTRY_URL` (default: the built-in registry on 127.0.0.1:8081). */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): SchemaRegistryClient {
    return new SchemaRegistryClient(loadSchemaRegistryClientConfig(env));
  }

  /** All subjects (not deleted). */
  async listSubjects(): Promise<string[]> {
    const body = await this.request('GET', '/subjects');
    return Array.isArray(body) ? body.map(String) : [];
  }

  async register(subject: string, schema: string): Promise<number> {
    const body = await this.request('POST', `/subjects/${encodeURIComponent(subject)}/versions`, { schema });
    return Number(asRecord(body).id);
  }

  async lookup(subject: string, schema: string): Promise<SubjectVersion> {
    return toSubjectVersion(await this.request('POST', `/subjects/${encodeURIComponent(subject)}`, { schema }));
  }

  async getSchemaById(id: number): Promise<string> {
    const body = asRecord(await this.request('GET', `/schemas/ids/${id}`));
    const schemaType = body.schemaType;
    if (schemaType !== undefined && schemaType !== null && schemaType !== 'AVRO') {
      throw new SchemaRegistryRequestError(`schema id ${id} is ${String(schemaType)}, not Avro`, 415);
    }
    return String(body.schema);
  }

  /** The version numbers of a subject. */
  async getVersions(subject: string): Promise<number[]> {
    const body = await this.request('GET', `/subjects/${encodeURIComponent(subject)}/versions`);
    return Array.isArray(body) ? body.map(Number) : [];
  }

  /** One version of a subject, or its latest. */
  async getVersion(subject: string, version: number | 'latest'): Promise<SubjectVersion> {
    return toSubjectVersion(await this.request('GET', `/subjects/${encodeURIComponent(subject)}/versions/${version}`));
  }

  /** The latest version of a subject. */
  async getLatest(subject: string): Promise<SubjectVersion> {
    return this.getVersion(subject, 'latest');
  }

  /**
   * Checks `schema` against a version of `subject` (default: latest) under the subject's
   * compatibility level, verbosely. Throws SchemaNotFoundError when the subject does not exist.
   */
  async checkCompatibility(subject: string, schema: string, version: number | 'latest' = 'latest'): Promise<CompatibilityResult> {
    const body = asRecord(
      await this.request('POST', `/compatibility/subjects/${encodeURIComponent(subject)}/versions/${version}?verbose=true`, { schema }),
    );
    const messages = Array.isArray(body.messages) ? body.messages.map(String) : [];
    return { compatible: body.is_compatible === true, messages };
  }

  /** The compatibility level of a subject (falling back to the global one) or, without a subject, the global level. */
  async getCompatibility(subject?: string): Promise<CompatibilityLevel> {
    const path = subject === undefined ? '/config' : `/config/${encodeURIComponent(subject)}?defaultToGlobal=true`;
    const body = asRecord(await this.request('GET', path));
    return String(body.compatibilityLevel ?? body.compatibility) as CompatibilityLevel;
  }

  /** Sets the compatibility level of a subject or, without a subject, the global level. */
  async setCompatibility(level: CompatibilityLevel, subject?: string): Promise<void> {
    const path = subject === undefined ? '/config' : `/config/${encodeURIComponent(subject)}`;
    await this.request('PUT', path, { compatibility: level });
  }

  /** Deletes a subject (soft; `permanent` after a soft delete) and returns the versions deleted. */
  async deleteSubject(subject: string, permanent = false): Promise<number[]> {
    const body = await this.request('DELETE', `/subjects/${encodeURIComponent(subject)}${permanent ? '?permanent=true' : ''}`);
    return Array.isArray(body) ? body.map(Number) : [];
  }

  private async request(method: string, path: string, payload?: Json): Promise<Json> {
    const headers: Record<string, string> = { Accept: ACCEPT };
    if (payload !== undefined) headers['Content-Type'] = CONTENT_TYPE;
    if (this.authorization) headers.Authorization = this.authorization;
    const where = `${method} ${this.url}${path}`;
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.url}${path}`, {
        method,
        headers,
        body: payload === undefined ? undefined : JSON.stringify(payload),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      // The timeout covers the body too: a registry that stalls mid-answer is unavailable.
      text = await response.text();
    } catch (error) {
      // DOMException is not an Error in every realm (Jest's vm): compare the name only.
      const timedOut = (error as { name?: unknown } | null)?.name === 'TimeoutError';
      const reason = timedOut ? `no answer within ${this.timeoutMs} ms` : describeNetworkError(error);
      throw new SchemaRegistryUnavailableError(`schema registry unreachable: ${where}: ${reason}`, undefined, undefined, { cause: error });
    }
    let body: Json = null;
    if (text !== '') {
      try {
        body = JSON.parse(text) as Json;
      } catch {
        body = text;
      }
    }
    if (response.ok) return body;

    const record = asRecord(body);
    const code = typeof record.error_code === 'number' ? record.error_code : undefined;
    const message = typeof record.message === 'string' ? record.message : typeof body === 'string' ? body : response.statusText;
    const detail = `${where}: ${response.status}${code === undefined ? '' : ` (${code})`} ${message}`;
    if (response.status === 404) throw new SchemaNotFoundError(`schema registry: ${detail}`, code);
    if (response.status >= 500 || response.status === 429) {
      throw new SchemaRegistryUnavailableError(`schema registry failed: ${detail}`, response.status, code);
    }
    throw new SchemaRegistryRequestError(`schema registry refused: ${detail}`, response.status, code);
  }
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // Node's fetch reports "fetch failed" and hides the useful part (ECONNREFUSED ...) in `cause`.
  const cause = (error as Error & { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}
