/**
 * The admin API in-process, against the real local stack (Kafka, Redis, the kit's registry) and
 * a real connector worker: access control on every route of its route table, dead letters
 * listed, shown (masked for viewers), replayed once even when asked twice at the same moment,
 * discarded, offsets reset, the audit trail of all of it, and the Burrow statuses from real lag.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';
import { INTERNAL_TOPICS } from '../../catalogue/index.js';
import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { eventually } from '../../tests/kit/isolation.js';
import { startKitStack, type KitStack } from '../../tests/kit/kit-stack.js';
import { RecordingTarget } from '../../tests/kit/recording-target.js';
import { httpTestConnector, orderPlaced } from '../../tests/kit/test-connectors.js';
import { committedToEnd } from '../../tests/kit/worker-state.js';
import { createLogger } from '../log/logger.js';
import type { ConnectorWorker } from '../runtime/connector-worker.js';
import { RUNTIME_HEADER } from '../runtime/record-headers.js';
import { startAdminServer, type AdminServer } from './admin-server.js';
import type { AuditPage } from './audit-trail.js';
import type { ConnectorStatusView } from './connector-status.js';
import type { DeadLetterDetail, DeadLetterGroup, DeadLetterSummary, ReplayResult } from './dead-letter-desk.js';
import { ROLES, type Role } from './roles.js';
import { TokenStore } from './token-store.js';

jest.setTimeout(180_000);

const CONNECTOR = 'adm-orders';
const connector = httpTestConnector(CONNECTOR, { maxAttempts: 1 });

describe('admin API on the real stack', () => {
  let stack: KitStack;
  let target: RecordingTarget;
  let server: AdminServer;
  let worker: ConnectorWorker;
  let dir: string;
  const tokens = {} as Record<Role, string>;

  beforeAll(async () => {
    target = await RecordingTarget.start();
    stack = await startKitStack({ label: 'adm', systemUrls: { erp: target.url } });
    dir = mkdtempSync(path.join(tmpdir(), 'switchboard-admin-'));
    const store = TokenStore.fromFile(path.join(dir, 'tokens.json'));
    for (const role of ROLES) tokens[role] = store.create(`t-${role}`, role).token;
    worker = await stack.startWorker(connector);
    server = await startAdminServer({
      connectors: [connector],
      env: {
        ...process.env,
        SWITCHBOARD_TOPIC_PREFIX: stack.prefix,
        SCHEMA_REGISTRY_URL: stack.registryUrl,
        SWITCHBOARD_TOKENS_FILE: path.join(dir, 'tokens.json'),
        TRACKING_DB_PATH: path.join(dir, 'tracking.db'),
        ADMIN_SAMPLE_INTERVAL_MS: '300',
        ADMIN_STATUS_WINDOW: '4',
      },
      port: 0,
      docsUi: false,
      logger: createLogger('admin-test', { level: 'warn' }),
    });
  });
  afterAll(async () => {
    await server?.close();
    await stack?.close();
    await target?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const call = async <T>(role: Role | 'none' | 'unknown', method: string, url: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const authorization = role === 'none' ? {} : { authorization: `Bearer ${role === 'unknown' ? 'swb_nobody-issued-this' : tokens[role]}` };
    const answer = await server.app.inject({ method: method as 'GET', url, headers: authorization, ...(body === undefined ? {} : { payload: body as Record<string, unknown> }) });
    return { status: answer.statusCode, body: (answer.body === '' ? undefined : answer.json()) as T };
  };
  const audit = async () => (await call<AuditPage>('viewer', 'GET', '/api/audit?limit=100')).body.entries;

  it('declares a role on every route, and refuses every mutating one without a token (401) and with a weaker role (403)', async () => {
    const mutating = server.routes.filter((route) => !['GET', 'HEAD'].includes(route.method));
    expect(server.routes.every((route) => route.url.startsWith('/api/'))).toBe(true);
    expect(mutating.map((route) => `${route.method} ${route.url}`).sort()).toEqual([
      'POST /api/connectors/:name/dead-letters/:id/discard',
      'POST /api/connectors/:name/dead-letters/:id/replay',
      'POST /api/connectors/:name/dead-letters/replay',
      'POST /api/connectors/:name/pause',
      'POST /api/connectors/:name/reset',
      'POST /api/connectors/:name/restart',
      'POST /api/connectors/:name/resume',
      'POST /api/tokens',
      'POST /api/tokens/:name/revoke',
    ]);
    for (const route of server.routes) {
      const url = route.url.replace(':name', CONNECTOR).replace(':id', '0:0');
      for (const who of ['none', 'unknown'] as const) {
        const answer = await call<{ error: { code: string } }>(who, route.method, url, route.method === 'GET' || route.method === 'HEAD' ? undefined : {});
        expect([route.method, route.url, who, answer.status]).toEqual([route.method, route.url, who, 401]);
        if (route.method !== 'HEAD') expect(answer.body.error.code).toBe('SWB_ERR_ADMIN_UNAUTHORIZED');
      }
      for (const weaker of ROLES.slice(0, ROLES.indexOf(route.role))) {
        const answer = await call<{ error: { code: string } }>(weaker, route.method, url, route.method === 'GET' || route.method === 'HEAD' ? undefined : {});
        expect([route.method, route.url, weaker, answer.status]).toEqual([route.method, route.url, weaker, 403]);
      }
    }
    // Every mutating route is at least operator; token management is admin.
    expect(mutating.every((route) => route.role !== 'viewer' && route.action !== undefined)).toBe(true);
    expect(mutating.filter((route) => route.url.startsWith('/api/tokens')).every((route) => route.role === 'admin')).toBe(true);
    // A refused change is in the audit trail, as failed, with the token's name.
    expect(await audit()).toContainEqual(expect.objectContaining({ actor: 't-viewer', action: 'connector.pause', outcome: 'failed', code: 'SWB_ERR_ADMIN_FORBIDDEN', target: { connector: CONNECTOR } }));
  });

  it('lists, shows, replays once, and discards dead letters; masks personal data for viewers', async () => {
    // The target refuses the next two calls of D-1 and D-2 for good: both are dead-lettered.
    target.failNext(1, 400, '/orders/D-1/');
    target.failNext(1, 400, '/orders/D-2/');
    await stack.publish('switchboard.crm.OrderPlaced', 'D-1', orderPlaced('D-1', 1));
    await stack.publish('switchboard.crm.OrderPlaced', 'D-2', orderPlaced('D-2', 1));

    const groups = await eventually(async () => {
      const answer = await call<{ groups: DeadLetterGroup[] }>('viewer', 'GET', '/api/dead-letters');
      return answer.body.groups[0]?.count === 2 ? answer.body.groups : undefined;
    }, 60_000, 'two dead letters in the index');
    expect(groups).toEqual([expect.objectContaining({ connector: CONNECTOR, code: 'SWB_ERR_RUNTIME_TARGET_REJECTED', count: 2, open: 2, replayed: 0, discarded: 0 })]);

    const list = await call<{ letters: DeadLetterSummary[] }>('viewer', 'GET', `/api/connectors/${CONNECTOR}/dead-letters`);
    expect(list.body.letters.map((letter) => letter.key)).toEqual(['D-2', 'D-1']);
    const [d2, d1] = list.body.letters;
    expect(d1).toMatchObject({ status: 'open', attempts: 1, originalTopic: `${stack.prefix}crm.order.v1` });

    const asViewer = (await call<DeadLetterDetail>('viewer', 'GET', `/api/connectors/${CONNECTOR}/dead-letters/${d1.id}`)).body;
    const asOperator = (await call<DeadLetterDetail>('operator', 'GET', `/api/connectors/${CONNECTOR}/dead-letters/${d1.id}`)).body;
    expect(asOperator).toMatchObject({ masked: false, decodeError: null, payload: { eventType: 'switchboard.crm.OrderPlaced', value: { orderId: 'D-1', shipTo: EXAMPLE_EVENTS['switchboard.crm.OrderPlaced'].shipTo } } });
    expect(asViewer).toMatchObject({ masked: true, payload: { value: { orderId: 'D-1', shipTo: { line1: '***', city: '***', postalCode: '***', country: 'DE' } } } });
    expect(JSON.stringify(asViewer)).not.toContain(EXAMPLE_EVENTS['switchboard.crm.OrderPlaced'].shipTo.line1);
    expect(asOperator.headers.ce_id).toBe(d1.eventId);

    expect((await call('viewer', 'GET', `/api/connectors/${CONNECTOR}/dead-letters/9:999`)).status).toBe(404);
    expect((await call('viewer', 'GET', '/api/connectors/no-such-connector/dead-letters')).status).toBe(404);

    // Two operators replay D-1 at the same moment: it is produced once.
    const [first, second] = await Promise.all([
      call<{ results: ReplayResult[] }>('operator', 'POST', `/api/connectors/${CONNECTOR}/dead-letters/${d1.id}/replay`, { reason: 'target fixed' }),
      call<{ results: ReplayResult[] }>('admin', 'POST', `/api/connectors/${CONNECTOR}/dead-letters/replay`, { ids: [d1.id] }),
    ]);
    expect([first.body.results[0].outcome, second.body.results[0].outcome].sort()).toEqual(['already-replayed', 'replayed']);
    await eventually(() => (target.effectsOn('/orders/D-1/').length === 1 ? true : undefined), 60_000, 'the replayed D-1 applied');
    await committedToEnd(stack.bus, worker.groups.retry, [worker.topics.retry]);
    const replays = (await stack.bus.readTopicToEnd(`${stack.prefix}${INTERNAL_TOPICS.retry(CONNECTOR)}`)).filter((record) => record.headers[RUNTIME_HEADER.replayOf] === d1.id);
    expect(replays).toHaveLength(1);
    expect((await call<{ results: ReplayResult[] }>('operator', 'POST', `/api/connectors/${CONNECTOR}/dead-letters/${d1.id}/replay`)).body.results).toEqual([
      expect.objectContaining({ id: d1.id, outcome: 'already-replayed' }),
    ]);

    // Discard needs a reason; a replayed one cannot be discarded; discarding twice changes nothing.
    expect((await call<{ error: { field: string } }>('operator', 'POST', `/api/connectors/${CONNECTOR}/dead-letters/${d2.id}/discard`, {})).body.error.field).toBe('reason');
    expect((await call('operator', 'POST', `/api/connectors/${CONNECTOR}/dead-letters/${d1.id}/discard`, { reason: 'x' })).status).toBe(409);
    expect((await call<{ outcome: string }>('operator', 'POST', `/api/connectors/${CONNECTOR}/dead-letters/${d2.id}/discard`, { reason: 'duplicate order' })).body.outcome).toBe('discarded');
    expect((await call<{ outcome: string }>('operator', 'POST', `/api/connectors/${CONNECTOR}/dead-letters/${d2.id}/discard`, { reason: 'again' })).body.outcome).toBe('already-discarded');
    expect((await call<{ results: ReplayResult[] }>('operator', 'POST', `/api/connectors/${CONNECTOR}/dead-letters/replay`, { code: 'SWB_ERR_RUNTIME_TARGET_REJECTED' })).body.results).toEqual([]);
    expect((await call<{ groups: DeadLetterGroup[] }>('viewer', 'GET', `/api/connectors/${CONNECTOR}/dead-letters?groupBy=code`)).body.groups).toEqual([
      expect.objectContaining({ count: 2, open: 0, replayed: 1, discarded: 1 }),
    ]);

    const trail = await audit();
    expect(trail.filter((entry) => entry.action === 'dead-letter.replay' && entry.outcome === 'ok').map((entry) => [entry.actor, entry.detail?.replayed])).toEqual(
      expect.arrayContaining([['t-operator', expect.any(Number)], ['t-admin', expect.any(Number)]]),
    );
    expect(trail).toContainEqual(expect.objectContaining({ actor: 't-operator', action: 'dead-letter.discard', reason: 'duplicate order', outcome: 'ok', target: { connector: CONNECTOR, deadLetters: [d2.id] } }));
    expect(trail).toContainEqual(expect.objectContaining({ action: 'dead-letter.discard', outcome: 'failed', code: 'SWB_ERR_ADMIN_DEAD_LETTER_STATE' }));
    expect(JSON.stringify(trail)).not.toMatch(/swb_[A-Za-z0-9_-]{20,}/);
  });

  it('checks reset offsets against the source partitions and resets to offsets and to a time, audited', async () => {
    const topic = `${stack.prefix}crm.order.v1`;
    const bad = await call<{ error: { code: string; field: string } }>('operator', 'POST', `/api/connectors/${CONNECTOR}/reset`, { reason: 'redo', toOffsets: [{ topic, partition: 0, offset: '999999' }] });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'SWB_ERR_ADMIN_INVALID_OFFSET', field: 'toOffsets.0.offset' } } });
    expect((await call<{ error: { field: string } }>('operator', 'POST', `/api/connectors/${CONNECTOR}/reset`, { reason: 'redo', toOffsets: [{ topic: 'other.topic', partition: 0, offset: 0 }] })).body.error.field).toBe('toOffsets.0.topic');
    expect((await call<{ error: { field: string } }>('operator', 'POST', `/api/connectors/${CONNECTOR}/reset`, { reason: 'redo' })).body.error.field).toBe('toTime');
    expect((await call<{ error: { field: string } }>('operator', 'POST', `/api/connectors/${CONNECTOR}/reset`, { toTime: new Date().toISOString() })).body.error.field).toBe('reason');

    await committedToEnd(stack.bus, worker.groups.main, worker.topics.sources);
    const ok = await call<{ reset: unknown; desiredState: string }>('operator', 'POST', `/api/connectors/${CONNECTOR}/reset`, { reason: 'redo partition 0', toOffsets: [{ topic, partition: 0, offset: 0 }] });
    expect(ok).toEqual({ status: 200, body: { connector: CONNECTOR, reset: { toOffsets: [{ topic, partition: 0, offset: '0' }] }, desiredState: 'running' } });
    const later = await call('operator', 'POST', `/api/connectors/${CONNECTOR}/reset`, { reason: 'to now', toTime: new Date(Date.now() + 60_000).toISOString() });
    expect(later.status).toBe(200);
    await committedToEnd(stack.bus, worker.groups.main, worker.topics.sources);
    expect(await audit()).toContainEqual(expect.objectContaining({ action: 'connector.reset', outcome: 'ok', reason: 'redo partition 0', detail: { toOffsets: [{ topic, partition: 0, offset: '0' }] } }));
  });

  it('evaluates Burrow statuses from real lag: a paused connector while events flow is WARN, a group nobody consumes is STOP (ERR)', async () => {
    const status = async () => (await call<ConnectorStatusView>('viewer', 'GET', `/api/connectors/${CONNECTOR}`)).body;
    // The reset before ended with the workers rejoining: wait until the sampler saw them back.
    const running = await eventually(async () => {
      const current = await status();
      return current.workers[0]?.state === 'running' && current.groupMembers === 1 ? current : undefined;
    }, 30_000, 'the worker running in the status');
    expect(running).toMatchObject({ desiredState: 'running', workers: [expect.objectContaining({ stats: expect.objectContaining({ deadLettered: 2 }) })] });

    expect((await call('operator', 'POST', `/api/connectors/${CONNECTOR}/pause`, { reason: 'burrow test' })).body).toEqual({ connector: CONNECTOR, desiredState: 'paused' });
    await eventually(async () => ((await status()).workers[0]?.state === 'paused' ? true : undefined), 30_000, 'the worker paused');
    // One key, one partition: its lag grows with every sample while the connector is paused.
    const flowing = setInterval(() => void stack.publish('switchboard.crm.OrderPlaced', 'W-1', orderPlaced('W-1', 1)), 100);
    try {
      const warned = await eventually(async () => {
        const current = await status();
        return current.status === 'WARN' ? current : undefined;
      }, 60_000, 'WARN while paused with events flowing');
      expect(warned.partitions.filter((p) => p.status === 'WARN')).toHaveLength(1);
    } finally {
      clearInterval(flowing);
    }
    expect((await call('operator', 'POST', `/api/connectors/${CONNECTOR}/resume`)).body).toEqual({ connector: CONNECTOR, desiredState: 'running' });
    await committedToEnd(stack.bus, worker.groups.main, worker.topics.sources);
    await eventually(async () => ((await status()).status === 'OK' ? true : undefined), 30_000, 'OK once caught up');

    // Nobody consumes: the group empties, events arrive, the committed offsets stand still.
    await worker.stop();
    await stack.publish('switchboard.crm.OrderPlaced', 'S-1', orderPlaced('S-1', 1));
    const stopped = await eventually(async () => {
      const current = await status();
      return current.status === 'ERR' ? current : undefined;
    }, 60_000, 'ERR once the group is empty and lag stands');
    expect(stopped.groupMembers).toBe(0);
    expect(stopped.partitions.filter((p) => p.lag > 0).map((p) => p.status)).toEqual(['STOP']);
    expect(await audit()).toContainEqual(expect.objectContaining({ actor: 't-operator', action: 'connector.pause', reason: 'burrow test', outcome: 'ok' }));
  });

  it('serves the topics with their schema versions, an id\'s cross-references, and tokens to admins only', async () => {
    const topics = (await call<{ domain: { name: string; records: number; events: { eventType: string; versions: number[] }[] }[]; internal: { name: string; connector?: string }[] }>('viewer', 'GET', '/api/topics')).body;
    const orders = topics.domain.find((t) => t.name === `${stack.prefix}crm.order.v1`);
    expect(orders?.records).toBeGreaterThan(0);
    expect(orders?.events).toContainEqual({ eventType: 'switchboard.crm.OrderPlaced', subject: `${stack.prefix}crm.order.v1-switchboard.crm.OrderPlaced`, versions: [1] });
    expect(topics.internal.map((t) => t.name)).toContain(`${stack.prefix}${INTERNAL_TOPICS.deadLetter(CONNECTOR)}`);

    // The connector recorded the order cross-reference of D-1 when its replay was applied.
    const xref = await call<{ matches: { kind: string; system: string; ids: Record<string, string> }[] }>('viewer', 'GET', '/api/xref/D-1');
    expect(xref.body.matches).toContainEqual({ kind: 'order', system: 'crm', ids: { crm: 'D-1', erp: expect.stringMatching(/^T-/) } });
    expect((await call('viewer', 'GET', '/api/xref/D-1?kind=customer')).status).toBe(404);
    expect((await call<{ error: { field: string } }>('viewer', 'GET', '/api/xref/D-1?kind=planet')).body.error.field).toBe('kind');

    const created = await call<{ token: string; name: string }>('admin', 'POST', '/api/tokens', { name: 'carol', role: 'viewer', reason: 'on call' });
    expect(created).toMatchObject({ status: 201, body: { name: 'carol', role: 'viewer' } });
    const carol = created.body.token;
    expect((await server.app.inject({ method: 'GET', url: '/api/audit', headers: { authorization: `Bearer ${carol}` } })).statusCode).toBe(200);
    expect((await call('admin', 'POST', '/api/tokens', { name: 'carol', role: 'admin' })).status).toBe(409);
    expect((await call<{ tokens: { name: string }[] }>('admin', 'GET', '/api/tokens')).body.tokens.map((t) => t.name)).toEqual(['carol', 't-admin', 't-operator', 't-viewer']);
    expect((await call('admin', 'POST', '/api/tokens/carol/revoke', { reason: 'rotation' })).status).toBe(200);
    expect((await server.app.inject({ method: 'GET', url: '/api/audit', headers: { authorization: `Bearer ${carol}` } })).statusCode).toBe(401);
    expect((await call('admin', 'POST', '/api/tokens/carol/revoke')).status).toBe(404);
    const trail = await audit();
    expect(trail.filter((entry) => entry.target.token === 'carol').map((entry) => [entry.action, entry.outcome])).toEqual([['token.revoke', 'failed'], ['token.revoke', 'ok'], ['token.create', 'failed'], ['token.create', 'ok']]);
    expect(JSON.stringify(trail)).not.toContain(carol);
  });
});
