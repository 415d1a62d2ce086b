import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { Logger } from '../log/logger.js';
import { ConnectorDefinitionError, type ConnectorDefinition } from '../sdk/index.js';
import { declarativeSourceOf, readDeclarativeConnector } from './load-connector.js';
import { formatProblem } from './source-file.js';

/** What the hot reload needs of a worker (ConnectorWorker has it). */
export interface ReloadableWorker {
  readonly definition: ConnectorDefinition;
  /** Maps events with `next` from now on; throws when the change needs a restart. */
  swapDefinition(next: ConnectorDefinition): void;
}

/** What one change of a file led to. */
export type ReloadOutcome =
  | { readonly connector: string; readonly file: string; readonly result: 'reloaded' }
  | { readonly connector: string; readonly file: string; readonly result: 'refused'; readonly problems: readonly string[] };

/** The running watches; `close()` stops them. */
export interface DeclarativeReloads {
  close(): void;
}

/** Editors write a file in several steps (truncate, write, rename): one reload after the last. */
const DEFAULT_SETTLE_MS = 150;

/**
 * Reloads declarative connectors when their file changes, without restarting the worker: for
 * each worker whose definition came from a YAML file, the file's folder is watched (editors
 * often replace the file, which a watch on the file itself would miss); a change re-reads and
 * re-validates it and swaps the new mapping into the worker. Events in flight finish under the
 * old mapping. A broken file is refused, its problems logged with their lines, and the old
 * mapping keeps running; so is a change the worker cannot take without a restart (topics,
 * target, options).
 *
 * @example
 * ```ts
 * const reloads = watchDeclarativeConnectors(workers, logger);
 * // ... on shutdown:
 * reloads.close();
 * ```
 */
export function watchDeclarativeConnectors(
  workers: readonly ReloadableWorker[],
  logger: Logger,
  options: { readonly settleMs?: number; readonly onOutcome?: (outcome: ReloadOutcome) => void } = {},
): DeclarativeReloads {
  const byFile = new Map<string, ReloadableWorker[]>();
  for (const worker of workers) {
    const file = declarativeSourceOf(worker.definition);
    if (file) byFile.set(file, [...(byFile.get(file) ?? []), worker]);
  }
  const watchers: FSWatcher[] = [];
  const timers = new Set<NodeJS.Timeout>();
  for (const [file, fileWorkers] of byFile) {
    const connector = (fileWorkers[0] as ReloadableWorker).definition.name;
    const log = logger.child({ connector, file });
    let lastText: string | undefined;
    let running: Promise<void> = Promise.resolve();
    let timer: NodeJS.Timeout | undefined;

    const reload = async (): Promise<void> => {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        return report({ connector, file, result: 'refused', problems: [`cannot read the file: ${(error as Error).message}`] });
      }
      if (text === lastText) return;
      lastText = text;
      const { definition, problems } = readDeclarativeConnector(file, text);
      if (!definition) return report({ connector, file, result: 'refused', problems: problems.map(formatProblem) });
      try {
        for (const worker of fileWorkers) worker.swapDefinition(definition);
      } catch (error) {
        if (!(error instanceof ConnectorDefinitionError)) throw error;
        return report({ connector, file, result: 'refused', problems: error.problems });
      }
      report({ connector, file, result: 'reloaded' });
    };
    const report = (outcome: ReloadOutcome): void => {
      if (outcome.result === 'reloaded') log.info('reloaded the connector file; new events use the new mapping');
      else log.error({ problems: outcome.problems }, `refused the changed connector file, the running mapping stays: ${outcome.problems.join('; ')}`);
      options.onOutcome?.(outcome);
    };

    void readFile(file, 'utf8').then((text) => (lastText ??= text), () => undefined);
    const onChange = (_event: string, name: string | null): void => {
      if (name !== null && name !== basename(file)) return;
      if (timer) {
        clearTimeout(timer);
        timers.delete(timer);
      }
      timer = setTimeout(() => {
        if (timer) timers.delete(timer);
        // One reload at a time, in order of the changes.
        running = running.then(reload).catch((error: unknown) => log.error({ err: error }, 'could not reload the connector file'));
      }, options.settleMs ?? DEFAULT_SETTLE_MS);
      timers.add(timer);
    };
    try {
      const watcher = watch(dirname(file), onChange);
      watcher.on('error', (error) => log.error({ err: error }, 'stopped watching the connector file'));
      watchers.push(watcher);
    } catch (error) {
      // No watch (e.g. the system's limit of watches is reached): the connector runs, without reloads.
      log.warn({ err: error }, 'cannot watch the connector file; changes need a worker restart');
    }
  }
  return {
    close() {
      for (const timer of timers) clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
}
