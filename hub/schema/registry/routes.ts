import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isCompatibilityLevel } from '../compatibility/index.js';
import { registryErrors } from './errors.js';
import { parseRequest, type RegistryService, type SchemaRequest, type VersionSpec } from './service.js';
import type { WriteRouter } from './write-router.js';

type Query = Record<string, string | undefined>;
interface SubjectParams { subject: string }
interface VersionParams { subject: string; version: string }
interface IdParams { id: string }

const MAX_VERSION = 2 ** 31 - 1;

/** `latest` (or Confluent's `-1`), or an integer in [1, 2^31-1]; else 42202. */
export function parseVersion(raw: string): VersionSpec {
  if (raw === 'latest' || raw === '-1') return 'latest';
  if (/^\d{1,10}$/.test(raw)) {
    const value = Number(raw);
    if (value >= 1 && value <= MAX_VERSION) return value;
  }
  throw registryErrors.invalidVersion(raw);
}

function parseId(raw: string): number {
  const id = /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(id) || id < 1) throw registryErrors.schemaNotFound(`Schema ${raw} not found`);
  return id;
}

const flag = (query: Query, name: string): boolean => query[name] === 'true';

/** The JSON object body of a request; 400 when it is missing or not an object. */
function objectBody(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw registryErrors.malformedRequest('the request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

function schemaRequest(body: unknown): SchemaRequest {
  const object = objectBody(body);
  if (typeof object.schema !== 'string') throw registryErrors.invalidSchema('the body must carry the schema as a JSON string in "schema"');
  if (object.schemaType !== undefined && typeof object.schemaType !== 'string') throw registryErrors.invalidSchema('"schemaType" must be a string');
  if (object.references !== undefined && object.references !== null && !Array.isArray(object.references)) {
    throw registryErrors.invalidSchema('"references" must be an array');
  }
  return {
    schema: object.schema,
    ...(typeof object.schemaType === 'string' ? { schemaType: object.schemaType } : {}),
    ...(Array.isArray(object.references) ? { references: object.references as unknown[] } : {}),
  };
}

function compatibilityBody(body: unknown) {
  const level = objectBody(body).compatibility;
  if (!isCompatibilityLevel(level)) throw registryErrors.invalidCompatibilityLevel(level);
  return level;
}

/**
 * The Confluent Schema Registry REST API over a RegistryService. Paths, bodies, status
 * codes and `error_code`s follow Confluent's so that its clients work unchanged. Reads are
 * answered from this instance's memory; writes go through `writes`, which runs them here when
 * this instance is the writer and forwards them to the writer otherwise. Input is validated
 * before forwarding, so a bad request is answered here.
 */
export async function registryRoutes(app: FastifyInstance, options: { service: RegistryService; writes: WriteRouter }): Promise<void> {
  const { service, writes } = options;
  /** Runs a write here as the writer, or answers with what the writer answered. */
  const write = async (request: FastifyRequest, reply: FastifyReply, local: () => Promise<unknown>) => {
    const answer = await writes.run(request, local);
    reply.code(answer.status);
    return answer.body;
  };

  app.get('/', async () => ({}));
  app.get('/schemas/types', async () => ['AVRO']);
  app.get('/mode', async () => ({ mode: 'READWRITE' }));

  // ---- subjects and versions
  app.get<{ Querystring: Query }>('/subjects', async (request) => service.subjects(flag(request.query, 'deleted')));

  app.get<{ Params: SubjectParams; Querystring: Query }>('/subjects/:subject/versions', async (request) =>
    service.versions(request.params.subject, flag(request.query, 'deleted')),
  );

  app.post<{ Params: SubjectParams }>('/subjects/:subject/versions', async (request, reply) => {
    const body = schemaRequest(request.body);
    parseRequest(body);
    return write(request, reply, async () => ({ id: (await service.register(request.params.subject, body)).id }));
  });

  app.get<{ Params: VersionParams; Querystring: Query }>('/subjects/:subject/versions/:version', async (request) => {
    const v = service.version(request.params.subject, parseVersion(request.params.version), flag(request.query, 'deleted'));
    return { subject: v.subject, version: v.version, id: v.id, schema: v.schema };
  });

  app.get<{ Params: VersionParams; Querystring: Query }>('/subjects/:subject/versions/:version/schema', async (request, reply) => {
    const v = service.version(request.params.subject, parseVersion(request.params.version), flag(request.query, 'deleted'));
    return reply.send(v.schema); // the raw schema text, as registered
  });

  app.get<{ Params: VersionParams }>('/subjects/:subject/versions/:version/referencedby', async (request) => {
    service.version(request.params.subject, parseVersion(request.params.version), false);
    return []; // references are not supported, so nothing refers to anything
  });

  app.post<{ Params: SubjectParams; Querystring: Query }>('/subjects/:subject', async (request) => {
    const v = service.lookup(request.params.subject, schemaRequest(request.body), flag(request.query, 'deleted'));
    return { subject: v.subject, id: v.id, version: v.version, schema: v.schema };
  });

  app.delete<{ Params: VersionParams; Querystring: Query }>('/subjects/:subject/versions/:version', async (request, reply) => {
    const version = parseVersion(request.params.version);
    return write(request, reply, () => service.deleteVersion(request.params.subject, version, flag(request.query, 'permanent')));
  });

  app.delete<{ Params: SubjectParams; Querystring: Query }>('/subjects/:subject', async (request, reply) =>
    write(request, reply, () => service.deleteSubject(request.params.subject, flag(request.query, 'permanent'))),
  );

  // ---- schemas by id
  app.get<{ Params: IdParams }>('/schemas/ids/:id', async (request) => ({ schema: service.schemaById(parseId(request.params.id)) }));
  app.get<{ Params: IdParams }>('/schemas/ids/:id/schema', async (request, reply) => reply.send(service.schemaById(parseId(request.params.id))));
  app.get<{ Params: IdParams; Querystring: Query }>('/schemas/ids/:id/versions', async (request) =>
    service.versionsById(parseId(request.params.id), flag(request.query, 'deleted')),
  );
  app.get<{ Params: IdParams; Querystring: Query }>('/schemas/ids/:id/subjects', async (request) =>
    service.subjectsById(parseId(request.params.id), flag(request.query, 'deleted')),
  );

  // ---- compatibility
  const compatibility = (subject: string, version: VersionSpec, body: unknown, verbose: boolean) => {
    const result = service.testCompatibility(subject, version, schemaRequest(body));
    return verbose ? { is_compatible: result.compatible, messages: result.messages } : { is_compatible: result.compatible };
  };
  app.post<{ Params: VersionParams; Querystring: Query }>('/compatibility/subjects/:subject/versions/:version', async (request) =>
    compatibility(request.params.subject, parseVersion(request.params.version), request.body, flag(request.query, 'verbose')),
  );
  app.post<{ Params: SubjectParams; Querystring: Query }>('/compatibility/subjects/:subject/versions', async (request) =>
    compatibility(request.params.subject, 'latest', request.body, flag(request.query, 'verbose')),
  );

  // ---- configuration: GET answers {compatibilityLevel}, PUT takes and answers {compatibility}
  app.get('/config', async () => ({ compatibilityLevel: service.globalLevel() }));
  app.put('/config', async (request, reply) => {
    const level = compatibilityBody(request.body);
    return write(request, reply, async () => ({ compatibility: await service.setLevel(null, level) }));
  });
  app.get<{ Params: SubjectParams; Querystring: Query }>('/config/:subject', async (request) => ({
    compatibilityLevel: service.subjectLevel(request.params.subject, flag(request.query, 'defaultToGlobal')),
  }));
  app.put<{ Params: SubjectParams }>('/config/:subject', async (request, reply) => {
    const level = compatibilityBody(request.body);
    return write(request, reply, async () => ({ compatibility: await service.setLevel(request.params.subject, level) }));
  });
  app.delete<{ Params: SubjectParams }>('/config/:subject', async (request, reply) =>
    write(request, reply, async () => ({ compatibilityLevel: await service.deleteSubjectLevel(request.params.subject) })),
  );
}
