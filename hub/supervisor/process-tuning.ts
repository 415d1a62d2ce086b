/**
 * How each `switchboard` command's process is tuned: its Node flags and the variables the C
 * library reads as the process starts. The one place these live: the supervisor applies them to
 * every process it starts (`switchboard up`, the test kit's system), and the benchmarks that spawn
 * a command themselves ask {@link spawnArgsOf} and {@link tunedEnv}. Every figure behind them is in
 * bench/COMPARISONS.md.
 */

/** Node flags of every child; the same the `switchboard` bin's shebang sets (see bin/switchboard.js). */
export const CHILD_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2'];

/**
 * The console's own Node flags, after CHILD_NODE_FLAGS. `--max-old-space-size=96` (MB): with the
 * 2 MB young generation, most of a catch-up's short-lived records are promoted, and V8 let the old
 * generation grow to 230 MB before a full collection left 50 MB live (console RSS 350 MB over
 * 30 000 orders); capped at 96 MB it collects sooner and the console peaked at 179 MB. Its live
 * heap does not grow with the tracked orders (they are in SQLite).
 */
export const CONSOLE_NODE_FLAGS: readonly string[] = ['--max-old-space-size=96'];

/**
 * The worker's own Node flags, after CHILD_NODE_FLAGS. `--heap-growing-percent=100`: after each
 * full collection V8 lets the old generation grow to twice what survived; on a small heap its own
 * factor goes up to four. The worker keeps 40–45 MB live at 50–100 orders/s, and V8 let the heap
 * reach 160 MB before collecting: peak RSS 257 MB at 100 orders/s, 170 MB with this flag, for
 * about 5 % of a core more collection. A soft bound: a larger live set (more connectors, a
 * catch-up) still grows the heap, where `--max-old-space-size` would end the process.
 */
export const WORKER_NODE_FLAGS: readonly string[] = ['--heap-growing-percent=100'];

/**
 * glibc's malloc settings for the console, the three services and the worker, over the environment
 * they are given. `MALLOC_ARENA_MAX=2`: glibc gives each thread that allocates (V8's collector and compiler
 * threads, libuv's pool) an arena of its own, up to 8 per core, and memory freed in one is not
 * reused by the others; the console held six beside the main heap during a catch-up (12 MB
 * resident), with two 3 MB: about 5 MB less RSS. `MALLOC_MMAP_THRESHOLD_` and
 * `MALLOC_TRIM_THRESHOLD_` at 128 KB: when the flow starts, the console's native memory rises by
 * about 30 MB for a second or two (its V8 heap and buffers do not); glibc's default raises its
 * mmap threshold after such blocks are freed, so the next ones came from the heap and stayed
 * resident (admin-api bench: 151 MB peak, 149–151 MB to the end); a fixed threshold gives them
 * back (144 MB peak, 116–129 MB after it). The services, under the end-to-end load, peaked at
 * 126–133 MB with glibc's defaults; the CRM taking 1300–1600 orders/s peaked at 111–115 MB with
 * these settings against 125–143 MB without, at the same rate. The worker was first left without
 * them (7 of 262 MB saved, before WORKER_NODE_FLAGS kept its heap small); with that flag its native
 * memory is the larger share, and they save 16–26 MB: peak RSS 166–167 MB against 173–193 MB at 125
 * orders/s, 217–221 against 232–243 at 150, the same CPU (end-to-end bench, alternating runs).
 */
export const MALLOC_ENV_OVERRIDES: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_TRIM_THRESHOLD_: '131072' };

/** A command's tuning, beside CHILD_NODE_FLAGS (which every command gets). */
export interface ProcessTuning {
  /** Node flags after CHILD_NODE_FLAGS. */
  readonly nodeFlags: readonly string[];
  /** Variables over the process's environment. */
  readonly envOverrides: Readonly<Record<string, string>>;
}

const UNTUNED: ProcessTuning = { nodeFlags: [], envOverrides: {} };

/** By the command, the first argument of `switchboard <command> ...`. */
const TUNING_BY_COMMAND: Readonly<Record<string, ProcessTuning>> = {
  service: { nodeFlags: [], envOverrides: MALLOC_ENV_OVERRIDES },
  worker: { nodeFlags: WORKER_NODE_FLAGS, envOverrides: MALLOC_ENV_OVERRIDES },
  console: { nodeFlags: CONSOLE_NODE_FLAGS, envOverrides: MALLOC_ENV_OVERRIDES },
};

/**
 * The tuning of `switchboard <args>`, by its command; none for the others (the registry, the
 * adapters, the operator CLI).
 *
 * @example
 * ```ts
 * tuningOf(['worker', '--connector', 'crm-to-erp']).nodeFlags; // ['--heap-growing-percent=100']
 * ```
 */
export function tuningOf(args: readonly string[]): ProcessTuning {
  const command = args[0];
  return command !== undefined && Object.hasOwn(TUNING_BY_COMMAND, command) ? (TUNING_BY_COMMAND[command] as ProcessTuning) : UNTUNED;
}

/**
 * Everything `node` needs before `entry` to run `switchboard <args>` as `switchboard up` runs it,
 * with `extraFlags` (e.g. `--cpu-prof`) after the tuning's.
 *
 * @example
 * ```ts
 * spawn(process.execPath, [...spawnArgsOf('bin/switchboard.js', ['worker']), ], { env: tunedEnv(['worker'], process.env) });
 * ```
 */
export function spawnArgsOf(entry: string, args: readonly string[], extraFlags: readonly string[] = []): string[] {
  return [...CHILD_NODE_FLAGS, ...tuningOf(args).nodeFlags, ...extraFlags, entry, ...args];
}

/**
 * `env` with the tuning's variables of `switchboard <args>` over it.
 *
 * @example
 * ```ts
 * tunedEnv(['service', 'crm'], process.env).MALLOC_ARENA_MAX; // '2'
 * ```
 */
export function tunedEnv(args: readonly string[], env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, ...tuningOf(args).envOverrides };
}
