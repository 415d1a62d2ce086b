import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { eventually, uniquePrefix } from '../../../tests/kit/isolation.js';
import { freePort } from '../../../tests/kit/ports.js';
import { Bus, loadBusConfig } from '../../bus/index.js';
import { createLogger } from '../../log/logger.js';
import { KafkaSchemaStore } from './kafka-store.js';
import { schemaKey, type RegistryRecord } from './records.js';
import { createRegistryServer, REGISTRY_CONTENT_TYPE, type RegistryServer, type RegistryServerOptions } from './server.js';
import { RegistryState } from './state.js';

/**
 * Several registry instances on one `_schemas` topic: one elected writer, the others
 * forwarding to it, failover on stop and on kill -9, and the fencing that keeps a deposed
 * writer from appending.
 */
const bus = loadBusConfig();
const logger = createLogger('registry-cluster-test', { level: 'warn' });
const admin = new Bus(bus, logger).admin();
const topics: string[] = [];
const running: RegistryServer[] = [];
const children: ChildProcess[] = [];

/** A fresh store topic (and so a fresh election group), deleted after the file. The shared election topic stays. */
function newTopic(): string {
  const topic = `_schemas_test_${uniquePrefix('cluster').replace(/\.$/, '')}`;
  topics.push(topic);
  return topic;
}

interface Instance {
  readonly url: string;
  readonly server: RegistryServer;
}

async function startInstance(topic: string, options: Partial<RegistryServerOptions> = {}): Promise<Instance> {
  const server = createRegistryServer({
    topic, bus, logger, host: '127.0.0.1', port: 0, defaultCompatibility: 'BACKWARD_TRANSITIVE', electionTimeoutMs: 6000, writerWaitMs: 15_000, ...options,
  });
  running.push(server);
  return { url: await server.start(), server };
}

/** `switchboard registry` in a process of its own, to be killed with SIGKILL. */
async function startChild(topic: string): Promise<{ url: string; child: ChildProcess; exited: Promise<NodeJS.Signals | null> }> {
  const port = await freePort();
  const child = spawn(process.execPath, [fileURLToPath(new URL('../../../bin/switchboard.js', import.meta.url)), 'registry'], {
    env: { ...process.env, SCHEMA_REGISTRY_TOPIC: topic, SCHEMA_REGISTRY_HOST: '127.0.0.1', SCHEMA_REGISTRY_PORT: String(port), SCHEMA_REGISTRY_ELECTION_TIMEOUT_MS: '6000', LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`switchboard registry did not start within 60 s: ${output}`)), 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('schema registry listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then(() => reject(new Error(`switchboard registry exited: ${output}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child, exited };
}

async function http(url: string, method: string, body?: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { method, headers: { 'content-type': REGISTRY_CONTENT_TYPE }, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

/** The n-th schema of a subject: record `name` with n optional fields, so any order of versions is compatible. */
const schemaOf = (name: string, n: number) =>
  JSON.stringify({
    type: 'record',
    name,
    namespace: 'switchboard.test',
    fields: [{ name: 'id', type: 'string' }, ...Array.from({ length: n }, (_, i) => ({ name: `f${i}`, type: ['null', 'string'], default: null }))],
  });

const register = async (url: string, subject: string, schema: string): Promise<number> => {
  const answer = await http(`${url}/subjects/${encodeURIComponent(subject)}/versions`, 'POST', JSON.stringify({ schema }));
  expect(answer).toMatchObject({ status: 200, body: { id: expect.any(Number) } });
  return (answer.body as { id: number }).id;
};

/** What a client does while the registry has no writer: 503 with 50003 means "try again shortly". */
async function registerRetrying(url: string, subject: string, schema: string, unavailable: number[]): Promise<number> {
  for (let attempt = 0; attempt < 60; attempt++) {
    const answer = await http(`${url}/subjects/${encodeURIComponent(subject)}/versions`, 'POST', JSON.stringify({ schema }));
    if (answer.status === 200) return (answer.body as { id: number }).id;
    expect(answer).toEqual({ status: 503, body: { error_code: 50003, message: expect.stringContaining('Error forwarding the request to the leader') } });
    unavailable.push(Date.now());
    await new Promise((resolve) => setTimeout(resolve, 500)); // the client's back-off
  }
  throw new Error(`${subject}: no writer after 60 attempts`);
}

/** Both instances know the same writer, and exactly one of them is it. */
async function settled(a: Instance, b: Instance): Promise<{ writer: Instance; follower: Instance }> {
  return eventually(() => {
    const [va, vb] = [a.server.writer(), b.server.writer()];
    if (va.url === undefined || va.url !== vb.url || va.self === vb.self) return undefined;
    return va.self ? { writer: a, follower: b } : { writer: b, follower: a };
  }, 20_000, 'both instances to agree on one writer');
}

/** Every subject/version as one instance serves it: `subject/version` → id. */
async function catalogue(url: string): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  for (const subject of (await http(`${url}/subjects`, 'GET')).body as string[]) {
    for (const version of (await http(`${url}/subjects/${encodeURIComponent(subject)}/versions`, 'GET')).body as number[]) {
      const v = (await http(`${url}/subjects/${encodeURIComponent(subject)}/versions/${version}`, 'GET')).body as { id: number };
      found.set(`${subject}/${version}`, v.id);
    }
  }
  return found;
}

const dense = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const sorted = (ids: Iterable<number>) => [...ids].sort((x, y) => x - y);

beforeAll(() => admin.connect());
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(running.map((s) => s.stop().catch(() => undefined)));
  await admin.delete(topics).catch(() => undefined);
  await admin.close();
});

describe('several registry instances on one topic', () => {
  it('elect one writer; 100 registrations through both at once get dense, unique ids that both serve alike', async () => {
    const topic = newTopic();
    const a = await startInstance(topic);
    const b = await startInstance(topic);
    const { writer, follower } = await settled(a, b);
    expect(follower.server.writer().url).toBe(writer.url);

    // 20 subjects with one version and 20 with four: 100 distinct schemas, interleaved over both instances, all at once.
    const registrations = [
      ...Array.from({ length: 20 }, (_, s) => ({ subject: `single-${s}-value`, schema: schemaOf(`Single${s}`, 0) })),
      ...Array.from({ length: 20 }, (_, s) => Array.from({ length: 4 }, (_, v) => ({ subject: `multi-${s}-value`, schema: schemaOf(`Multi${s}`, v) }))).flat(),
    ];
    expect(registrations).toHaveLength(100);
    const ids = await Promise.all(registrations.map((r, i) => register(i % 2 === 0 ? a.url : b.url, r.subject, r.schema)));

    expect(sorted(ids)).toEqual(dense(100));
    const [onA, onB] = await Promise.all([catalogue(a.url), eventually(async () => {
      const seen = await catalogue(b.url);
      return seen.size === 100 ? seen : undefined;
    }, 20_000, 'the second instance to serve all 100 versions')]);
    expect(onA.size).toBe(100);
    expect(onB).toEqual(onA);
    expect(sorted(onA.values())).toEqual(dense(100));
    // Versions are dense per subject and each registration's id is the one its version carries.
    for (let s = 0; s < 20; s++) expect((await http(`${b.url}/subjects/multi-${s}-value/versions`, 'GET')).body).toEqual([1, 2, 3, 4]);
    for (const [i, r] of registrations.entries()) {
      expect((await http(`${a.url}/schemas/ids/${ids[i]}`, 'GET')).body).toEqual({ schema: r.schema });
      expect((await http(`${b.url}/schemas/ids/${ids[i]}`, 'GET')).body).toEqual({ schema: r.schema });
    }
    // Config writes are forwarded too, and read back at once on the instance that took them.
    expect(await http(`${follower.url}/config/single-0-value`, 'PUT', JSON.stringify({ compatibility: 'FULL' }))).toEqual({ status: 200, body: { compatibility: 'FULL' } });
    expect((await http(`${follower.url}/config/single-0-value`, 'GET')).body).toEqual({ compatibilityLevel: 'FULL' });
  });

  it('hands the writer role over when the writer stops; the new writer continues the ids after reading the log', async () => {
    const topic = newTopic();
    // A long election timeout, to show that a graceful stop does not wait for it.
    const a = await startInstance(topic, { electionTimeoutMs: 30_000 });
    const b = await startInstance(topic, { electionTimeoutMs: 30_000 });
    const { writer, follower } = await settled(a, b);
    const before = await Promise.all(Array.from({ length: 10 }, (_, i) => register(i % 2 === 0 ? writer.url : follower.url, `before-${i}-value`, schemaOf(`Before${i}`, 0))));
    expect(sorted(before)).toEqual(dense(10));

    const stoppedAt = Date.now();
    await writer.server.stop();
    // A write sent right away waits for the election instead of failing (writerWaitMs).
    const first = await register(follower.url, 'after-0-value', schemaOf('After0', 0));
    expect(Date.now() - stoppedAt).toBeLessThan(15_000); // a graceful stop leaves the group: no session timeout
    expect(follower.server.writer()).toMatchObject({ self: true, url: follower.url });
    expect(first).toBe(11);

    // A third instance joins and forwards to the new writer.
    const c = await startInstance(topic, { electionTimeoutMs: 30_000 });
    await eventually(() => (c.server.writer().url === follower.url ? true : undefined), 20_000, 'the new instance to follow the new writer');
    const after = await Promise.all(Array.from({ length: 9 }, (_, i) => register(i % 2 === 0 ? c.url : follower.url, `after-${i + 1}-value`, schemaOf(`After${i + 1}`, 0))));
    expect(sorted([...before, first, ...after])).toEqual(dense(20));
    expect((await http(`${c.url}/subjects/before-3-value/versions/1`, 'GET')).body).toMatchObject({ id: before[3] });
  });

  it('replaces a writer killed with SIGKILL after the election timeout; clients see 503/50003 meanwhile and ids stay unique', async () => {
    const topic = newTopic();
    const killed = await startChild(topic);
    const b = await startInstance(topic, { writerWaitMs: 2000 });
    await eventually(() => (b.server.writer().url === killed.url ? true : undefined), 20_000, 'the in-process instance to follow the child');

    const before = await Promise.all(Array.from({ length: 20 }, (_, i) => register(i % 2 === 0 ? killed.url : b.url, `before-${i}-value`, schemaOf(`Before${i}`, 0))));
    expect(sorted(before)).toEqual(dense(20));

    killed.child.kill('SIGKILL');
    expect(await killed.exited).toBe('SIGKILL');
    const killedAt = Date.now();
    const unavailable: number[] = [];
    const after = await Promise.all(Array.from({ length: 20 }, (_, i) => registerRetrying(b.url, `after-${i}-value`, schemaOf(`After${i}`, 0), unavailable)));

    // The group noticed the dead member only after its session timeout; until then writes were refused as retriable.
    expect(unavailable.length).toBeGreaterThan(0);
    expect(Date.now() - killedAt).toBeLessThan(30_000);
    expect(b.server.writer()).toMatchObject({ self: true, url: b.url });
    // The new writer read the whole log before choosing ids: nothing reused, nothing skipped.
    expect(Math.min(...after)).toBe(21);
    expect(sorted([...before, ...after])).toEqual(dense(40));
    const served = await catalogue(b.url);
    expect(served.size).toBe(40);
    before.forEach((id, i) => expect(served.get(`before-${i}-value/1`)).toBe(id));
  });

  it('fences a writer that lost its role: its appends are refused and never reach the log', async () => {
    const topic = newTopic();
    const stores = [0, 1].map(() => new KafkaSchemaStore({ topic, bus, logger }));
    const states = [new RegistryState(), new RegistryState()];
    await Promise.all(stores.map((store, i) => store.start((record) => states[i].apply(record))));
    const schemaRecord = (subject: string, id: number): RegistryRecord => ({
      key: schemaKey(subject, 1),
      value: { subject, version: 1, id, schema: schemaOf('Fenced', id), deleted: false },
    });
    try {
      await expect(stores[0].append([schemaRecord('unclaimed', 1)])).rejects.toMatchObject({ errorCode: 50003, httpStatus: 503 });

      await stores[0].claim();
      await stores[0].append([schemaRecord('first', 1)]);
      // The second store claims (as a newly elected writer does): it has read the first's record by then.
      await stores[1].claim();
      expect(states[1].versions('first')).toHaveLength(1);
      expect(states[1].nextId()).toBe(2);

      // The deposed writer still believes it may write id 2: Kafka refuses, nothing becomes visible.
      await expect(stores[0].append([schemaRecord('zombie', 2)])).rejects.toMatchObject({ errorCode: 50003, httpStatus: 503 });
      await stores[1].append([schemaRecord('second', 2)]);
      await Promise.all(stores.map((store) => store.catchUp()));
      for (const state of states) {
        expect(state.versions('zombie')).toEqual([]);
        expect(state.versions('second')).toMatchObject([{ id: 2 }]);
      }
      // Its claim is gone for good: even another append fails until it claims again.
      await expect(stores[0].append([schemaRecord('zombie', 3)])).rejects.toMatchObject({ errorCode: 50003 });
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });
});
