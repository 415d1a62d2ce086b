import { EXAMPLE_EVENTS } from '../../../schemas/examples.js';
import { ERRORS } from '../../errors/index.js';
import { createLogger } from '../../log/logger.js';
import { defineConnector, upsert } from '../../sdk/index.js';
import { createTestDatabase, eventually, startKitStack, statsWhen, withFastRetries, type KitStack, type TestDatabase } from '../../../tests/kit/index.js';
import { TargetRegistry } from './target-registry.js';

const created = EXAMPLE_EVENTS['switchboard.crm.CustomerCreated'];
const updated = EXAMPLE_EVENTS['switchboard.crm.CustomerUpdated'];

const connector = withFastRetries(defineConnector({
  name: 'crm-customer-to-reporting',
  description: 'Keeps a reporting table of the CRM customers',
  source: { topics: ['crm.customer.v1'], eventTypes: ['switchboard.crm.CustomerCreated', 'switchboard.crm.CustomerUpdated'] },
  target: { kind: 'postgres', name: 'reporting-db', table: 'reporting.customers', keyColumn: 'customer_id' },
  map: ({ key, value }) => [upsert({ key, row: { name: value.name, segment: value.segment } })],
}));

describe('a PostgreSQL upsert target', () => {
  let db: TestDatabase;
  let stack: KitStack;

  beforeAll(async () => {
    db = await createTestDatabase('sink');
    await db.query('CREATE SCHEMA reporting');
    await db.query('CREATE TABLE reporting.customers (customer_id text PRIMARY KEY, name text NOT NULL, segment text)');
    stack = await startKitStack({ label: 'sinkpg', env: { TARGET_REPORTING_DB_DATABASE_URL: db.url } });
  });
  afterAll(async () => {
    await stack?.close();
    await db?.drop();
  });

  const rows = () => db.query<{ customer_id: string; name: string; segment: string }>('SELECT customer_id, name, segment FROM reporting.customers ORDER BY customer_id');
  const nameOf = async (id: string) => (await rows()).find((row) => row.customer_id === id)?.name;

  it('keeps one row per event key, inserted by the first event and updated by the next', async () => {
    const worker = await stack.startWorker(connector);
    await stack.publish('switchboard.crm.CustomerCreated', 'C-1', { ...created, customerId: 'C-1', name: 'Nordlicht' });
    await stack.publish('switchboard.crm.CustomerCreated', 'C-2', { ...created, customerId: 'C-2', name: 'Südwind' });
    await stack.publish('switchboard.crm.CustomerUpdated', 'C-1', { ...updated, customerId: 'C-1', name: 'Nordlicht Möbel' });
    await statsWhen(worker, 'three events delivered', (s) => s.delivered >= 3);
    expect(await rows()).toEqual([
      { customer_id: 'C-1', name: 'Nordlicht Möbel', segment: updated.segment },
      { customer_id: 'C-2', name: 'Südwind', segment: created.segment },
    ]);
    await worker.stop();
  });

  it('applies an event once by its id, even when Redis forgot it was done: a redelivered old event does not overwrite a newer one', async () => {
    const worker = await stack.startWorker(connector);
    const first = await stack.publish('switchboard.crm.CustomerUpdated', 'C-3', { ...updated, customerId: 'C-3', name: 'v1' });
    await stack.publish('switchboard.crm.CustomerUpdated', 'C-3', { ...updated, customerId: 'C-3', name: 'v2' });
    await eventually(async () => ((await nameOf('C-3')) === 'v2' ? true : undefined), 30_000, 'the second version');
    // Redis lost its completed keys; the first event comes again (a replay, a reset offset).
    const done = await stack.redis.keys(`${stack.prefix}*done*`);
    if (done.length > 0) await stack.redis.del(...done);
    const before = worker.stats.delivered;
    await stack.publish('switchboard.crm.CustomerUpdated', 'C-3', { ...updated, customerId: 'C-3', name: 'v1' }, { id: first.id });
    await statsWhen(worker, 'the repeat settled', (s) => s.delivered > before);
    expect(await nameOf('C-3')).toBe('v2');
    expect(await db.query('SELECT count(*)::int AS n FROM reporting.switchboard_applied_events WHERE idempotency_key LIKE $1', [`%${first.id}%`])).toEqual([{ n: 1 }]);
    await worker.stop();
  });

  it('dead-letters a row the table refuses (an unknown column), naming the database\'s reason', async () => {
    const broken = defineConnector({ ...connector, name: 'crm-customer-to-reporting-broken', map: ({ key }) => [upsert({ key, row: { nickname: 'x' } })] });
    const worker = await stack.startWorker(withFastRetries(broken));
    await stack.publish('switchboard.crm.CustomerCreated', 'C-4', { ...created, customerId: 'C-4' });
    await statsWhen(worker, 'the event dead-lettered', (s) => s.deadLettered >= 1);
    const [letter] = await stack.deadLetters.list(broken.name);
    expect(letter).toMatchObject({ errorCode: ERRORS.SINK_POSTGRES_REJECTED.code, errorMessage: expect.stringContaining('nickname') });
    await worker.stop();
  });

  it('fails retriably while the database cannot be reached', async () => {
    const targets = new TargetRegistry({ env: { TARGET_DOWN_DATABASE_URL: 'postgres://switchboard:switchboard@127.0.0.1:1/none' }, logger: createLogger('test', { level: 'silent' }) });
    const rows = targets.rows({ kind: 'postgres', name: 'down', table: 'customers' });
    await expect(rows.upsert(upsert({ key: 'C-1', row: { name: 'x' } }), 'k:1')).rejects.toMatchObject({ code: ERRORS.SINK_POSTGRES_UNAVAILABLE.code, retriable: true });
    await targets.close();
  });
});
