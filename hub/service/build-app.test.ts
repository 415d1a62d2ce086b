import { Writable } from 'node:stream';
import { pino } from 'pino';
import { buildServiceApp } from './build-app.js';
import { openDatabase } from './database.js';
import { ConflictError } from './errors.js';
import { PLUMBING_MIGRATIONS } from './plumbing-migrations.js';
import { httpClient } from '../../tests/kit/app-client.js';

describe('buildServiceApp error mapping', () => {
  it('turns domain errors into their status and unexpected errors into a logged 500', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } }));
    const db = openDatabase(':memory:', PLUMBING_MIGRATIONS);
    const app = await buildServiceApp({
      name: 'test', db, logger, docsUi: false,
      routes: (scope) => {
        scope.get('/conflict', async () => { throw new ConflictError('SWB_ERR_CRM_ORDER_STATE', 'busy', { field: 'id' }); });
        scope.get('/bug', async () => { throw new TypeError('undefined is not a function'); });
      },
    });
    const call = await httpClient(app);
    try {
      const conflict = await call({ method: 'GET', url: '/conflict' });
      expect(conflict.statusCode).toBe(409);
      expect(conflict.json()).toEqual({ error: { code: 'SWB_ERR_CRM_ORDER_STATE', message: 'busy', field: 'id' } });
      const problems = () => lines.filter((line) => (JSON.parse(line) as { level: number }).level >= 40);
      // A domain error is the caller's business: nothing for an operator in the log.
      expect(problems()).toHaveLength(0);
      const bug = await call({ method: 'GET', url: '/bug' });
      expect(bug.statusCode).toBe(500);
      expect(bug.json()).toEqual({ error: { code: 'SWB_ERR_SERVICE_INTERNAL', message: 'internal error; the service log has the details' } });
      // The caller does not see internals; the log does.
      expect(bug.body).not.toContain('undefined is not a function');
      expect(problems().join('')).toContain('undefined is not a function');
      const bad = await call({ method: 'GET', url: '/conflict', headers: { 'idempotency-key': 'x' } });
      expect(bad.statusCode).toBe(409);
    } finally {
      await app.close();
      db.close();
    }
  });

  it('answers 405 with Allow for a path that exists with other methods, 404 for one that does not, and 400 for an id longer than the route takes', async () => {
    const db = openDatabase(':memory:', PLUMBING_MIGRATIONS);
    const app = await buildServiceApp({
      name: 'test', db, logger: pino({ level: 'silent' }), docsUi: false,
      routes: (scope) => {
        scope.get('/things/:id', { schema: { params: { type: 'object', properties: { id: { type: 'string', maxLength: 10 } } } } }, async () => ({ ok: true }));
        scope.put('/things/:id', async () => ({ ok: true }));
        scope.post('/things/special', async () => ({ ok: true }));
      },
    });
    const call = await httpClient(app);
    try {
      const wrong = await call({ method: 'DELETE', url: '/things/T-1' });
      expect(wrong.statusCode).toBe(405);
      expect(wrong.headers.allow).toBe('GET, HEAD, PUT');
      expect(wrong.json().error).toMatchObject({ code: 'SWB_ERR_HTTP_METHOD_NOT_ALLOWED', message: 'DELETE is not allowed on /things/T-1; allowed: GET, HEAD, PUT' });
      expect((await call({ method: 'DELETE', url: '/things/special' })).headers.allow).toBe('POST');
      expect((await call({ method: 'DELETE', url: '/nothing' })).statusCode).toBe(404);
      const long = await call({ method: 'GET', url: `/things/${'x'.repeat(300)}` });
      expect({ status: long.statusCode, code: long.json().error.code }).toEqual({ status: 400, code: 'SWB_ERR_VALIDATION_LENGTH' });
    } finally {
      await app.close();
      db.close();
    }
  });
});
