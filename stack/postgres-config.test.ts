import { initdbArgs, pgHbaConf, postgresArgs, postgresUrl } from './postgres-config.js';
import { findPostgresBinDir } from './postgres.js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('postgres-config', () => {
  it('gives the URL of the switchboard role and database', () => {
    expect(postgresUrl(5432)).toBe('postgres://switchboard:switchboard@127.0.0.1:5432/switchboard');
  });

  it('starts the server on loopback with logical WAL and room for replication', () => {
    const args = postgresArgs(15432, '/s/postgres/data');
    expect(args.slice(0, 2)).toEqual(['-D', '/s/postgres/data']);
    const settings = Object.fromEntries(args.slice(2).filter((_, i) => i % 2 === 1).map((pair) => pair.split(/=(.*)/s).slice(0, 2)));
    expect(settings).toMatchObject({ listen_addresses: '127.0.0.1', port: '15432', wal_level: 'logical', unix_socket_directories: '', hba_file: '/s/postgres/data/pg_hba.conf' });
    expect(Number(settings.max_replication_slots)).toBeGreaterThanOrEqual(10);
    expect(Number(settings.max_wal_senders)).toBeGreaterThanOrEqual(10);
  });

  it('allows password logins and replication over loopback only', () => {
    const rules = pgHbaConf().split('\n').filter((line) => line && !line.startsWith('#')).map((line) => line.split(/\s+/));
    expect(rules).toEqual([
      ['host', 'all', 'all', '127.0.0.1/32', 'scram-sha-256'],
      ['host', 'all', 'all', '::1/128', 'scram-sha-256'],
      ['host', 'replication', 'all', '127.0.0.1/32', 'scram-sha-256'],
      ['host', 'replication', 'all', '::1/128', 'scram-sha-256'],
    ]);
  });

  it('makes switchboard the superuser at initdb, with its password from a file', () => {
    expect(initdbArgs('/d', '/pw')).toEqual(expect.arrayContaining(['-D', '/d', '-U', 'switchboard', '--pwfile=/pw', '--auth=scram-sha-256']));
  });

  it('finds the newest Debian PostgreSQL bin folder', () => {
    const root = mkdtempSync(join(tmpdir(), 'swb-pgroot-'));
    expect(findPostgresBinDir(root)).toBeUndefined();
    for (const version of ['13', '15', '9.6']) {
      mkdirSync(join(root, version, 'bin'), { recursive: true });
      for (const tool of ['postgres', 'initdb']) writeFileSync(join(root, version, 'bin', tool), '');
    }
    mkdirSync(join(root, '16', 'bin'), { recursive: true }); // client only: no server
    expect(findPostgresBinDir(root)).toBe(join(root, '15', 'bin'));
    rmSync(root, { recursive: true, force: true });
  });
});
