/**
 * Builds the minimal Redpanda Connect binary of bench/peers/redpanda-connect/ (our main.go,
 * go.mod and go.sum; their code comes from the Go module proxy) into the cache, once:
 *
 *   ~/.cache/switchboard/peers/redpanda-connect/
 *     bin/redpanda-connect-<hash>   the binary; <hash> covers main.go, go.mod and go.sum
 *     gomod/  gocache/              GOMODCACHE and GOCACHE of the build
 *     build.log                     the last build's output
 *
 * A binary whose hash matches is reused; editing any of the three files builds a new one.
 * The checksum database has no entries for github.com/redpanda-data/* (the proxy serves the
 * modules, sum.golang.org does not answer for them), so GONOSUMDB skips it for those paths
 * only, and `-mod=readonly` makes the build use the committed go.sum as it is: a missing or
 * different hash fails the build instead of being written into the source tree.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from '../../stack/kafka-artifacts.js';

/** Our sources: main.go, go.mod and go.sum. */
export const CONNECT_SOURCE_DIR = join(import.meta.dirname, 'redpanda-connect');
const SOURCES = ['main.go', 'go.mod', 'go.sum'];
const CONNECT_MODULE = 'github.com/redpanda-data/connect/v4';
const BENTHOS_MODULE = 'github.com/redpanda-data/benthos/v4';

/** The built binary and what it was built from. */
export interface RedpandaConnectBuild {
  readonly binary: string;
  /** Version of github.com/redpanda-data/connect/v4 in go.mod, e.g. v4.63.0. */
  readonly connectVersion: string;
  /** Version of github.com/redpanda-data/benthos/v4 in go.mod, e.g. v4.55.0. */
  readonly benthosVersion: string;
  /** Seconds the build took; 0 when the cached binary was reused. */
  readonly buildSeconds: number;
  readonly sizeMb: number;
}

/** The cache folder of the peer: `<switchboard cache>/peers/redpanda-connect`. */
export function redpandaConnectCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheRoot(env), 'peers', 'redpanda-connect');
}

/** The version go.mod requires of `module`. */
export function requiredVersion(goMod: string, module: string): string {
  const escaped = module.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const match = new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v\\S+)`, 'm').exec(goMod);
  if (!match) throw new Error(`go.mod does not require ${module}`);
  return match[1];
}

function sourceHash(): string {
  const hash = createHash('sha256');
  for (const name of SOURCES) hash.update(`${name}\0`).update(readFileSync(join(CONNECT_SOURCE_DIR, name)));
  return hash.digest('hex').slice(0, 16);
}

/**
 * Returns the binary, building it first when the cache has none for the current sources
 * (about a minute with a warm module cache; from nothing, 254 s on two cores shared with
 * other work). Throws with the tail of build.log when `go build` fails.
 */
export function ensureRedpandaConnect(progress: (line: string) => void = () => {}, env: NodeJS.ProcessEnv = process.env): RedpandaConnectBuild {
  const goMod = readFileSync(join(CONNECT_SOURCE_DIR, 'go.mod'), 'utf8');
  const connectVersion = requiredVersion(goMod, CONNECT_MODULE);
  const benthosVersion = requiredVersion(goMod, BENTHOS_MODULE);
  const dir = redpandaConnectCacheDir(env);
  const binary = join(dir, 'bin', `redpanda-connect-${sourceHash()}`);
  const sizeMb = () => Math.round(readFileSync(binary).length / 2 ** 20 * 10) / 10;
  if (existsSync(binary)) return { binary, connectVersion, benthosVersion, buildSeconds: 0, sizeMb: sizeMb() };

  progress(`Building Redpanda Connect ${connectVersion} (benthos ${benthosVersion}) into ${binary} (once; 1 to 5 min) ...`);
  mkdirSync(join(dir, 'bin'), { recursive: true });
  const partial = `${binary}.${process.pid}.partial`;
  rmSync(partial, { force: true });
  const started = performance.now();
  const result = spawnSync(
    'go',
    ['build', '-trimpath', '-ldflags', `-s -w -X main.version=${connectVersion}`, '-o', partial, '.'],
    {
      cwd: CONNECT_SOURCE_DIR,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: {
        ...env,
        GOMODCACHE: join(dir, 'gomod'),
        GOCACHE: join(dir, 'gocache'),
        GONOSUMDB: 'github.com/redpanda-data/*',
        GOFLAGS: '-mod=readonly -buildvcs=false',
        GOTOOLCHAIN: 'local',
        CGO_ENABLED: '0',
      },
    },
  );
  const log = join(dir, 'build.log');
  writeFileSync(log, `${result.stdout ?? ''}${result.stderr ?? ''}`);
  if (result.error || result.status !== 0) {
    const tail = readFileSync(log, 'utf8').trim().split('\n').slice(-15).join('\n');
    throw new Error(`go build of ${CONNECT_SOURCE_DIR} failed (exit ${result.status ?? 'none'}${result.error ? `, ${result.error.message}` : ''}); full output: ${log}\n${tail}`);
  }
  renameSync(partial, binary);
  const buildSeconds = Math.round((performance.now() - started) / 100) / 10;
  progress(`Built ${binary} in ${buildSeconds} s.`);
  return { binary, connectVersion, benthosVersion, buildSeconds, sizeMb: sizeMb() };
}
