/**
 * What `up` did for a component: `started` it; found the process it started earlier
 * `already-running`; found something else answering on the port and is `using-existing`;
 * or left it alone because `KAFKA_BROKERS` / `REDIS_URL` point `external`ly.
 */
export type StackAction = 'started' | 'already-running' | 'using-existing' | 'external';

/** A process one `stackUp` call started, so a failed call can undo exactly its own starts. */
export interface Started {
  readonly pid: number;
  readonly pidFile: string;
  /** How this process shuts down cleanly; default SIGTERM. */
  readonly signal?: NodeJS.Signals;
}

/** A process `stackDown` may stop: the pid in `pidFile`, if its command line contains `mark`. */
export interface StopTarget {
  readonly what: string;
  readonly pidFile: string;
  readonly mark: string;
  readonly signal?: NodeJS.Signals;
}

/** One optional server of the stack (PostgreSQL, Prometheus, Toxiproxy) as `up` left it. */
export interface ExtraUpState {
  readonly action: StackAction;
  /** Where clients reach it, e.g. `postgres://switchboard:switchboard@127.0.0.1:5432/switchboard`. */
  readonly url: string;
  readonly pid: number | undefined;
  readonly logFile: string;
  /** Prometheus only: the folder of its target files (`writePrometheusTargets`). */
  readonly targetsDir?: string;
}

/** One optional server of the stack as `status` found it. */
export interface ExtraStatus {
  readonly url: string;
  /** It answered its readiness check (pg_isready, /-/ready, /version). */
  readonly answering: boolean;
  readonly pid: number | undefined;
  readonly logFile: string;
}
