import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MIN_JAVA_MAJOR } from './kafka-version.js';
import { StackPrerequisiteError } from './stack-errors.js';

/**
 * The Java major version in the output of `java -version`: `openjdk version "17.0.15"` → 17,
 * `java version "1.8.0_292"` → 8, `openjdk version "21" 2023-09-19` → 21. Undefined when
 * the output names no version.
 */
export function parseJavaMajorVersion(output: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?[^"]*"/.exec(output);
  if (!match) return undefined;
  const first = Number(match[1]);
  // Before Java 9 versions read "1.<major>".
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}

/** True when `command` is on the PATH. */
export function commandExists(command: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], { stdio: 'ignore' }).status === 0;
}

function javaMajorOf(executable: string): number | undefined {
  const result = spawnSync(executable, ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) return undefined;
  return parseJavaMajorVersion(`${result.stderr}${result.stdout}`);
}

/** Candidate java executables: JAVA_HOME, the PATH, then Debian's /usr/lib/jvm installs. */
function javaCandidates(): string[] {
  const candidates: string[] = [];
  if (process.env.JAVA_HOME) candidates.push(join(process.env.JAVA_HOME, 'bin', 'java'));
  candidates.push('java');
  if (existsSync('/usr/lib/jvm')) {
    for (const entry of readdirSync('/usr/lib/jvm').sort().reverse()) {
      const executable = join('/usr/lib/jvm', entry, 'bin', 'java');
      if (existsSync(executable)) candidates.push(executable);
    }
  }
  return candidates;
}

/** The first java executable of version 17 or newer, with its major version. */
export function findJava(): { executable: string; major: number } | undefined {
  for (const executable of javaCandidates()) {
    const major = javaMajorOf(executable);
    if (major !== undefined && major >= MIN_JAVA_MAJOR) return { executable, major };
  }
  return undefined;
}

/** True when this process runs as root (it may then install packages and start servers as system users). */
export const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

let aptUpdated = false;

/** Installs a Debian package, streaming apt's output to stderr (stdout stays clean for --json). */
function aptInstall(pkg: string, progress: (line: string) => void): void {
  progress(`Installing ${pkg} with apt-get ...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Several test workers may install at once: wait for dpkg's lock instead of failing on it.
  const lockWait = ['-o', 'DPkg::Lock::Timeout=600'];
  if (!aptUpdated) {
    const update = spawnSync('apt-get', [...lockWait, 'update'], { stdio: ['ignore', 2, 2], env });
    if (update.status !== 0) throw new StackPrerequisiteError(`apt-get update failed (exit ${update.status}); install ${pkg} by hand`, update.error);
    aptUpdated = true;
  }
  const install = spawnSync('apt-get', [...lockWait, 'install', '-y', '--no-install-recommends', pkg], { stdio: ['ignore', 2, 2], env });
  if (install.status !== 0) throw new StackPrerequisiteError(`apt-get install ${pkg} failed (exit ${install.status}); install it by hand`, install.error);
}

/** Whether a missing tool may be installed with apt-get (running as root on Debian/Ubuntu). */
function canAptInstall(): boolean {
  return isRoot() && commandExists('apt-get');
}

/**
 * A java executable of version 17+; installs `openjdk-17-jre-headless` when running as root
 * and none is found, otherwise throws a StackPrerequisiteError saying what to install.
 */
export function ensureJava(progress: (line: string) => void): string {
  const found = findJava();
  if (found) return found.executable;
  if (canAptInstall()) {
    aptInstall('openjdk-17-jre-headless', progress);
    const installed = findJava();
    if (installed) return installed.executable;
  }
  throw new StackPrerequisiteError(
    `Kafka needs Java ${MIN_JAVA_MAJOR} or newer and none was found (checked JAVA_HOME, PATH, /usr/lib/jvm). ` +
      'Install it, e.g. `sudo apt-get install openjdk-17-jre-headless`, or set JAVA_HOME.',
  );
}

/**
 * Makes sure `command` is on the PATH, installing the Debian package `pkg` when running as
 * root; otherwise throws a StackPrerequisiteError naming the package.
 */
export function ensureCommand(command: string, pkg: string, purpose: string, progress: (line: string) => void): void {
  ensureFound(() => (commandExists(command) ? true : undefined), pkg, `${purpose} needs \`${command}\`, which is not installed.`, progress);
}

/**
 * Something `find` locates (e.g. PostgreSQL's binaries, which are not on the PATH); installs
 * the Debian package `pkg` when running as root and `find` finds nothing, otherwise throws a
 * StackPrerequisiteError naming the package.
 *
 * @example
 * ```ts
 * const bin = ensureFound(findPostgresBinDir, 'postgresql', 'PostgreSQL (initdb, postgres) is not installed.', progress);
 * ```
 */
export function ensureFound<T>(find: () => T | undefined, pkg: string, missing: string, progress: (line: string) => void): T {
  const found = find();
  if (found !== undefined) return found;
  if (canAptInstall()) {
    aptInstall(pkg, progress);
    const installed = find();
    if (installed !== undefined) return installed;
  }
  throw new StackPrerequisiteError(`${missing} Install it, e.g. \`sudo apt-get install ${pkg}\`.`);
}
