import { join } from 'node:path';

/** The role, password and database `stack up --with postgres` creates. */
export const POSTGRES_ROLE = 'switchboard';
export const POSTGRES_PASSWORD = 'switchboard';
export const POSTGRES_DATABASE = 'switchboard';

/** Replication slots and WAL senders the local server allows (logical decoding tests need a few). */
export const POSTGRES_REPLICATION_CAPACITY = 10;

/**
 * The URL clients use.
 *
 * @example
 * ```ts
 * postgresUrl(5432); // 'postgres://switchboard:switchboard@127.0.0.1:5432/switchboard'
 * ```
 */
export function postgresUrl(port: number): string {
  return `postgres://${POSTGRES_ROLE}:${POSTGRES_PASSWORD}@127.0.0.1:${port}/${POSTGRES_DATABASE}`;
}

/**
 * Server settings passed as `-c name=value`: loopback only, no Unix socket (the state folder
 * may sit where the system's socket folder is not writable), logical WAL for change-data
 * capture, and small memory for a shared 2-core machine.
 */
export function postgresSettings(port: number, dataDir: string): Record<string, string> {
  return {
    listen_addresses: '127.0.0.1',
    port: String(port),
    unix_socket_directories: '',
    hba_file: join(dataDir, 'pg_hba.conf'),
    wal_level: 'logical',
    max_replication_slots: String(POSTGRES_REPLICATION_CAPACITY),
    max_wal_senders: String(POSTGRES_REPLICATION_CAPACITY),
    max_connections: '50',
    shared_buffers: '32MB',
    password_encryption: 'scram-sha-256',
    logging_collector: 'off',
  };
}

/**
 * The command line of the server: `postgres -D <data> -c ...`. The data folder on the command
 * line is also how `status`/`down` recognise the process they started.
 *
 * @example
 * ```ts
 * postgresArgs(5432, '/s/postgres/data'); // ['-D', '/s/postgres/data', '-c', 'listen_addresses=127.0.0.1', ...]
 * ```
 */
export function postgresArgs(port: number, dataDir: string): string[] {
  return ['-D', dataDir, ...Object.entries(postgresSettings(port, dataDir)).flatMap(([name, value]) => ['-c', `${name}=${value}`])];
}

/**
 * pg_hba.conf: password (SCRAM) logins over loopback TCP only, for ordinary sessions and for
 * replication connections (physical and logical), IPv4 and IPv6.
 */
export function pgHbaConf(): string {
  return [
    '# Written by switchboard stack up --with postgres; rewritten at every start.',
    '# TYPE  DATABASE     USER  ADDRESS        METHOD',
    'host    all          all   127.0.0.1/32   scram-sha-256',
    'host    all          all   ::1/128        scram-sha-256',
    'host    replication  all   127.0.0.1/32   scram-sha-256',
    'host    replication  all   ::1/128        scram-sha-256',
    '',
  ].join('\n');
}

/** initdb's arguments: the `switchboard` superuser (replication included) with its password from `pwFile`. */
export function initdbArgs(dataDir: string, pwFile: string): string[] {
  return ['-D', dataDir, '-U', POSTGRES_ROLE, `--pwfile=${pwFile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C'];
}
