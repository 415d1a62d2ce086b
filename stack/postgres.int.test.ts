import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findPostgresBinDir, postgresQuery } from './postgres.js';
import { isRunning } from './processes.js';
import { stackDown, stackStatus, stackUp } from './index.js';
import { freePort } from '../tests/kit/ports.js';

const execFileAsync = promisify(execFile);

// `stack up --with postgres,prometheus` beside the shared stack: KAFKA_BROKERS and REDIS_URL
// (set by the jest global setup) make Kafka and Redis external, so only the extras start.
describe('stack up --with postgres,prometheus', () => {
  const dir = mkdtempSync(join(tmpdir(), 'swb-postgres-int-'));
  // As root PostgreSQL runs as the postgres user, which must be able to enter the state folder.
  chmodSync(dir, 0o755);
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['SWITCHBOARD_STACK_DIR', 'SWITCHBOARD_STACK_WITH', 'SWITCHBOARD_POSTGRES_PORT', 'SWITCHBOARD_PROMETHEUS_PORT', 'SWITCHBOARD_SECURE']) delete env[name];

  afterAll(async () => {
    await stackDown({ dir, env, only: ['postgres', 'prometheus'] });
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs PostgreSQL with logical WAL, a replicating switchboard role and database, and Prometheus', async () => {
    expect(env.KAFKA_BROKERS).toBeDefined();
    const postgresPort = await freePort();
    const prometheusPort = await freePort();
    const options = { dir, env, with: ['postgres', 'prometheus'] as const, postgresPort, prometheusPort };
    const up = await stackUp({ ...options, with: [...options.with] });
    expect(up.kafka.action).toBe('external');
    expect(up.postgres).toMatchObject({ action: 'started', url: `postgres://switchboard:switchboard@127.0.0.1:${postgresPort}/switchboard` });
    expect(up.prometheus).toMatchObject({ action: 'started', url: `http://127.0.0.1:${prometheusPort}`, targetsDir: join(dir, 'prometheus', 'targets') });
    const pid = up.postgres?.pid ?? 0;
    if (process.getuid?.() === 0) {
      // initdb and postgres refuse root: the server runs as an unprivileged user.
      const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      expect(Number(uid)).toBeGreaterThan(0);
    }

    const place = { dir: join(dir, 'postgres'), port: postgresPort };
    expect(await postgresQuery(place, 'SELECT current_database()')).toBe('switchboard');
    expect(await postgresQuery(place, 'SHOW wal_level')).toBe('logical');
    expect(Number(await postgresQuery(place, 'SHOW max_replication_slots'))).toBeGreaterThanOrEqual(10);
    expect(Number(await postgresQuery(place, 'SHOW max_wal_senders'))).toBeGreaterThanOrEqual(10);
    expect(await postgresQuery(place, "SELECT rolsuper AND rolreplication FROM pg_roles WHERE rolname = 'switchboard'")).toBe('t');
    expect(await postgresQuery(place, 'SHOW listen_addresses')).toBe('127.0.0.1');
    // Logical decoding works: a slot with the built-in pgoutput plugin.
    expect(await postgresQuery(place, "SELECT slot_name FROM pg_create_logical_replication_slot('swb_test', 'pgoutput')")).toBe('swb_test');
    expect(await postgresQuery(place, "SELECT pg_drop_replication_slot('swb_test')")).toBe('');
    // A replication connection over loopback passes pg_hba and the password.
    const psql = join(findPostgresBinDir() ?? '', 'psql');
    const { stdout } = await execFileAsync(psql, ['-X', '-tA', '-c', 'IDENTIFY_SYSTEM', `${up.postgres?.url}?replication=database`]);
    expect(stdout).toMatch(/^\d+\|\d+\|[0-9A-F]+\/[0-9A-F]+\|switchboard$/m);
    await postgresQuery(place, 'CREATE TABLE kept (id int); INSERT INTO kept VALUES (42)');

    const status = await stackStatus({ dir, env });
    expect(status).toMatchObject({ ready: true, postgres: { answering: true, pid }, prometheus: { answering: true, pid: up.prometheus?.pid } });

    const down = await stackDown({ dir, env, only: ['postgres'] });
    expect(down.stopped).toEqual([{ what: 'postgres', pid, how: 'terminated' }]);
    expect(isRunning(pid)).toBe(false);
    expect((await stackStatus({ dir, env })).postgres).toMatchObject({ answering: false, pid: undefined });

    // The cluster is kept: a second up starts the same data.
    const again = await stackUp({ ...options, with: ['postgres'] });
    expect(again.postgres?.action).toBe('started');
    expect(await postgresQuery(place, 'SELECT id FROM kept')).toBe('42');
  }, 180_000);
});
