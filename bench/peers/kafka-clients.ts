/**
 * Installs the Kafka clients measured against kafkajs (bench/kafka-clients.bench.ts) into the
 * cache, once each, outside the project's dependencies (neither is one unless it is kept):
 *
 *   ~/.cache/switchboard/peers/kafka-clients/      (or $SWITCHBOARD_CACHE_DIR/...)
 *     platformatic/node_modules/@platformatic/kafka           pure JavaScript
 *     confluent/node_modules/@confluentinc/kafka-javascript   librdkafka, a native addon
 *     <name>/install.log                                      the last install's output
 *
 * Versions, pinned:
 *  - `@platformatic/kafka` 1.35.0: the newest release line declaring Node 20 (`>= 20.19.4`);
 *    2.x requires Node ≥ 22.22. (Two of its own dependencies, `@platformatic/dynamic-buffer`
 *    0.3.1 and `@platformatic/wasm-utils` 0.2.1, declare `>= 22.19.0`; npm only warns, and the
 *    bench is what shows whether it runs on Node 20.)
 *  - `@confluentinc/kafka-javascript` 1.10.1 (librdkafka 2.x inside). Its prebuilt binary is
 *    downloaded from GitHub; when that fails it builds librdkafka from the sources in the npm
 *    tarball, by default with `--install-deps --source-deps-only`, which downloads zlib, OpenSSL,
 *    zstd and curl sources as well. `CKJS_LINKING=dynamic` (set here) configures librdkafka
 *    against the system's libraries instead, which on Debian/Ubuntu need
 *    `apt-get install -y build-essential python3 libcurl4-openssl-dev libssl-dev zlib1g-dev libzstd-dev liblz4-dev libsasl2-dev`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from '../../stack/kafka-artifacts.js';

/** A client measured against kafkajs, and how to install it. */
export interface CandidateClient {
  /** Folder under `<cache>/peers/kafka-clients/`. */
  readonly name: 'platformatic' | 'confluent';
  readonly pkg: string;
  readonly version: string;
  /** Extra environment of `npm install`. */
  readonly env: Readonly<Record<string, string>>;
  /** What to do when the install fails. */
  readonly hint: string;
}

export const CANDIDATE_CLIENTS: readonly CandidateClient[] = [
  { name: 'platformatic', pkg: '@platformatic/kafka', version: '1.35.0', env: {}, hint: 'needs the npm registry only' },
  {
    name: 'confluent', pkg: '@confluentinc/kafka-javascript', version: '1.10.1', env: { CKJS_LINKING: 'dynamic' },
    hint: 'the native build needs a C/C++ toolchain, python3 and `apt-get install -y libcurl4-openssl-dev libssl-dev zlib1g-dev libzstd-dev liblz4-dev libsasl2-dev`',
  },
];

/** An installed client: the folder whose node_modules holds it. */
export interface InstalledClient {
  readonly client: CandidateClient;
  readonly dir: string;
  /** Seconds the install took; 0 when the cached one was reused. */
  readonly installSeconds: number;
}

/** `<cache>/peers/kafka-clients/<name>`. */
export function kafkaClientDir(name: CandidateClient['name'], env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheRoot(env), 'peers', 'kafka-clients', name);
}

/** The package's folder inside `dir`. */
export function packageDir(dir: string, client: CandidateClient): string {
  return join(dir, 'node_modules', ...client.pkg.split('/'));
}

/** True when `dir` holds the pinned version, completely installed (npm writes the lock file last). */
function installed(dir: string, client: CandidateClient): boolean {
  const manifest = join(packageDir(dir, client), 'package.json');
  if (!existsSync(manifest) || !existsSync(join(dir, 'package-lock.json'))) return false;
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version === client.version;
}

/**
 * Returns the installed client, running `npm install` into the cache first when needed (the
 * confluent client's native build takes minutes on two cores). Throws with the tail of
 * install.log and `client.hint` when the install fails.
 */
export function ensureKafkaClient(client: CandidateClient, progress: (line: string) => void = () => {}, env: NodeJS.ProcessEnv = process.env): InstalledClient {
  const dir = kafkaClientDir(client.name, env);
  if (installed(dir, client)) return { client, dir, installSeconds: 0 };
  progress(`Installing ${client.pkg}@${client.version} into ${dir} (once) ...`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
  const started = performance.now();
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--save-exact', '--foreground-scripts', `${client.pkg}@${client.version}`], {
    cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...env, ...client.env },
  });
  const log = join(dir, 'install.log');
  writeFileSync(log, `${result.stdout ?? ''}${result.stderr ?? ''}`);
  if (result.error || result.status !== 0 || !installed(dir, client)) {
    const tail = readFileSync(log, 'utf8').trim().split('\n').slice(-12).join('\n');
    throw new Error(`npm install ${client.pkg}@${client.version} failed (exit ${result.status ?? 'none'}; ${client.hint}); full output: ${log}\n${tail}`);
  }
  const installSeconds = Math.round((performance.now() - started) / 100) / 10;
  progress(`Installed ${client.pkg}@${client.version} in ${installSeconds} s.`);
  return { client, dir, installSeconds };
}
