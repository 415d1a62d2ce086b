import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nextSequence, openDatabase } from './database.js';
import { PLUMBING_MIGRATIONS } from './plumbing-migrations.js';

describe('openDatabase', () => {
  const dir = mkdtempSync(join(tmpdir(), 'swb-db-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('applies migrations once, in WAL mode with foreign keys on, and adds new ones on reopen', () => {
    const path = join(dir, 'nested', 'svc.db');
    const v100 = { version: 100, name: 'a', sql: 'CREATE TABLE a (id INTEGER PRIMARY KEY)' };
    const db = openDatabase(path, [...PLUMBING_MIGRATIONS, v100]);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    // SQLite's own 2 MB page cache, not better-sqlite3's compiled-in 16 MB (-16000).
    expect(db.pragma('cache_size', { simple: true })).toBe(-2000);
    db.close();
    const v101 = { version: 101, name: 'b', sql: 'CREATE TABLE b (a_id INTEGER REFERENCES a(id))' };
    const again = openDatabase(path, [...PLUMBING_MIGRATIONS, v100, v101]);
    expect((again.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]).map((r) => r.version)).toEqual([1, 2, 3, 100, 101]);
    expect(() => again.prepare('INSERT INTO b (a_id) VALUES (42)').run()).toThrow(/FOREIGN KEY/);
    again.close();
  });

  it('refuses a database whose migration history differs, and unordered migrations', () => {
    const path = join(dir, 'other.db');
    openDatabase(path, [{ version: 1, name: 'x', sql: 'SELECT 1' }]).close();
    expect(() => openDatabase(path, [{ version: 1, name: 'y', sql: 'SELECT 1' }])).toThrow(/wrong database file/);
    expect(() => openDatabase(':memory:', [{ version: 2, name: 'a', sql: '' }, { version: 1, name: 'b', sql: '' }])).toThrow(/strictly increasing/);
  });

  it('rolls back a failed migration entirely', () => {
    const bad = { version: 100, name: 'bad', sql: 'CREATE TABLE t (id INTEGER); SELECT * FROM missing_table' };
    expect(() => openDatabase(':memory:', [...PLUMBING_MIGRATIONS, bad])).toThrow(/no such table/);
  });

  it('counts named sequences', () => {
    const db = openDatabase(':memory:', PLUMBING_MIGRATIONS);
    expect([nextSequence(db, 'a'), nextSequence(db, 'a'), nextSequence(db, 'b')]).toEqual([1, 2, 1]);
  });

  it('hands back the statement compiled for the same SQL, with the modes a caller switched on turned off again', () => {
    const db = openDatabase(':memory:', PLUMBING_MIGRATIONS);
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)');
    const insert = db.prepare('INSERT INTO t (name) VALUES (?)');
    expect(db.prepare('INSERT INTO t (name) VALUES (?)')).toBe(insert);
    insert.run('a');
    insert.run('b');
    const select = 'SELECT name FROM t ORDER BY id';
    expect(db.prepare(select).pluck().all()).toEqual(['a', 'b']);
    // The same statement, as a new one would be: rows as objects again.
    expect(db.prepare(select).all()).toEqual([{ name: 'a' }, { name: 'b' }]);
    expect(db.prepare('SELECT name FROM t WHERE id = ?')).not.toBe(db.prepare(select));
  });
});
