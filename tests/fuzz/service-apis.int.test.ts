/**
 * Property-based fuzzing of every route of the three services, driven by their OpenAPI
 * documents (schemathesis, pinned; tests/kit/schemathesis.ts): boundary values and numeric
 * extremes, long and unusual Unicode strings, wrong types, missing fields and undeclared methods,
 * a few hundred requests and more per service, as the `operator` with auth required. It finds no
 * 5xx, no answer or status the document does not describe, no schema-valid request refused as
 * malformed (the document says everything the API validates), and, hooked into the in-process
 * app, no partial write: every table is the same before and after each request answered 4xx.
 */
import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { FastifyRequest } from 'fastify';
import { SYSTEM_NAMES } from '../../catalogue/index.js';
import { ensureSchemathesis, kitCredentials, runSchemathesis, startServiceInProcess, tableDigests } from '../kit/index.js';

jest.setTimeout(240_000);

beforeAll(() => {
  ensureSchemathesis((line) => process.stderr.write(`${line}\n`));
}, 240_000);

/** The part of schemathesis's report that names the failures (or its tail), for a failing assertion. */
function failures(output: string): string {
  const start = output.indexOf('FAILURES');
  return (start >= 0 ? output.slice(start) : output.slice(-4000)).slice(0, 12_000);
}

describe.each(SYSTEM_NAMES)('the %s API under schemathesis', (system) => {
  it('answers no 5xx, only what its OpenAPI document describes, and writes nothing when it refuses', async () => {
    const problems: string[] = [];
    const answered = new Map<number, number>();
    const before = new WeakMap<FastifyRequest, string>();
    const service = await startServiceInProcess(system, {
      prepare: ({ app, db }) => {
        app.addHook('onRequest', async (request) => {
          before.set(request, JSON.stringify(tableDigests(db)));
        });
        app.addHook('onResponse', async (request, reply) => {
          const status = reply.statusCode;
          answered.set(status, (answered.get(status) ?? 0) + 1);
          if (status >= 500) problems.push(`${status} ${request.method} ${request.url}`);
          const snapshot = before.get(request);
          if (status >= 400 && status < 500 && snapshot !== undefined && snapshot !== JSON.stringify(tableDigests(db))) {
            problems.push(`partial write: ${status} ${request.method} ${request.url}`);
          }
        });
      },
    });
    try {
      const run = await runSchemathesis({
        schemaUrl: `${service.url}/openapi.json`, baseUrl: service.url, bearerToken: kitCredentials().operatorAuthorization.slice('Bearer '.length),
        maxExamples: 8, seed: 20_261_201,
      });
      expect(problems).toEqual([]);
      expect({ exitCode: run.exitCode, failures: run.exitCode === 0 ? '' : failures(run.output) }).toEqual({ exitCode: 0, failures: '' });
      const total = [...answered.values()].reduce((sum, n) => sum + n, 0);
      // Bounded but real: hundreds of requests reached the routes, most of them refused as invalid.
      expect(total).toBeGreaterThan(300);
      expect([...answered.keys()].some((status) => status >= 200 && status < 300)).toBe(true);
      expect(answered.get(400) ?? 0).toBeGreaterThan(100);
    } finally {
      await service.stop();
    }
  });
});
