/**
 * The optional servers of `stack up --with ...`, each behind the same three operations so the
 * stack's up/status/down treat them alike.
 */
import { postgresStatus, postgresStopTarget, startPostgres } from './postgres.js';
import { prometheusFiles, prometheusStatus, prometheusStopTarget, startPrometheus } from './prometheus.js';
import { STACK_EXTRAS, type StackExtra } from './stack-extras.js';
import type { StackSettings } from './stack-settings.js';
import type { ExtraStatus, ExtraUpState, Started, StopTarget } from './stack-types.js';
import { startToxiproxy, toxiproxyStatus, toxiproxyStopTarget } from './toxiproxy.js';

interface ExtraPart {
  readonly up: (settings: StackSettings, progress: (line: string) => void, started: Started[]) => Promise<ExtraUpState>;
  readonly status: (settings: StackSettings) => Promise<ExtraStatus>;
  readonly stopTarget: (settings: StackSettings) => StopTarget;
}

const PARTS: Record<StackExtra, ExtraPart> = {
  postgres: {
    up: (settings, progress, started) => startPostgres({ dir: settings.postgresDir, port: settings.postgresPort }, progress, started),
    status: (settings) => postgresStatus({ dir: settings.postgresDir, port: settings.postgresPort }),
    stopTarget: (settings) => postgresStopTarget(settings.postgresDir),
  },
  prometheus: {
    up: async (settings, progress, started) => ({
      ...(await startPrometheus({ dir: settings.prometheusDir, port: settings.prometheusPort }, progress, started)),
      targetsDir: prometheusFiles(settings.prometheusDir).targetsDir,
    }),
    status: (settings) => prometheusStatus({ dir: settings.prometheusDir, port: settings.prometheusPort }),
    stopTarget: (settings) => prometheusStopTarget(settings.prometheusDir),
  },
  toxiproxy: {
    up: (settings, progress, started) => startToxiproxy({ dir: settings.toxiproxyDir, port: settings.toxiproxyPort }, progress, started),
    status: (settings) => toxiproxyStatus({ dir: settings.toxiproxyDir, port: settings.toxiproxyPort }),
    stopTarget: (settings) => toxiproxyStopTarget(settings.toxiproxyDir),
  },
};

/** Starts the extras asked for, one after another (each install may need apt). */
export async function extrasUp(settings: StackSettings, progress: (line: string) => void, started: Started[]): Promise<Partial<Record<StackExtra, ExtraUpState>>> {
  const result: Partial<Record<StackExtra, ExtraUpState>> = {};
  for (const extra of settings.extras) result[extra] = await PARTS[extra].up(settings, progress, started);
  return result;
}

/** The status of each extra asked for (or recorded), plus any whose recorded process still runs. */
export async function extrasStatus(settings: StackSettings): Promise<Partial<Record<StackExtra, ExtraStatus>>> {
  const result: Partial<Record<StackExtra, ExtraStatus>> = {};
  for (const extra of STACK_EXTRAS) {
    const status = await PARTS[extra].status(settings);
    if (settings.extras.includes(extra) || status.pid !== undefined) result[extra] = status;
  }
  return result;
}

/** What `down` may stop for the extras: every one, started or not (a missing pid is skipped). */
export function extrasStopTargets(settings: StackSettings, only: ReadonlySet<string>): StopTarget[] {
  return STACK_EXTRAS.filter((extra) => only.has(extra)).map((extra) => PARTS[extra].stopTarget(settings));
}
