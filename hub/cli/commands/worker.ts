import type { Command } from 'commander';
import { loadBusConfig } from '../../bus/index.js';
import { watchDeclarativeConnectors } from '../../declarative/index.js';
import { ERRORS, SwitchboardError } from '../../errors/index.js';
import { createLogger } from '../../log/logger.js';
import { loadTopicPrefix } from '../../config/topic-prefix.js';
import { ConnectorWorker } from '../../runtime/connector-worker.js';
import { startRuntimeServices, stopRuntimeServices } from '../../runtime/runtime-services.js';
import { SchemaRegistryClient, loadSchemaRegistryClientConfig } from '../../schema/client/index.js';
import { createRedis, loadRedisUrl } from '../../state/redis.js';
import type { ConnectorDefinition } from '../../sdk/types.js';
import type { SystemParts } from '../system-parts.js';

/** `--connector` named a connector that is not in connectors/index.ts. */
export class UnknownConnectorError extends SwitchboardError {
  constructor(names: readonly string[], known: readonly string[]) {
    super(ERRORS.RUNTIME_UNKNOWN_CONNECTOR.code, `unknown connector(s) ${names.join(', ')}; known: ${known.join(', ') || '(none registered in connectors/index.ts)'}`);
  }
}

/** The connectors to run: all registered, or those named. */
export function selectConnectors(all: readonly ConnectorDefinition[], names: readonly string[]): ConnectorDefinition[] {
  if (names.length === 0) return [...all];
  const unknown = names.filter((name) => !all.some((c) => c.name === name));
  if (unknown.length > 0) throw new UnknownConnectorError(unknown, all.map((c) => c.name));
  return all.filter((c) => names.includes(c.name));
}

/**
 * `switchboard worker [--connector NAME ...]`: runs connector workers (all registered
 * connectors, or the named ones) in this process until SIGINT/SIGTERM, then stops them
 * gracefully: stop fetching, finish in-flight events, commit, leave the groups. A YAML
 * connector whose file changes is reloaded in place. Start it on
 * several machines to share the partitions. Settings: KAFKA_*, REDIS_URL,
 * SCHEMA_REGISTRY_URL, CRM_URL / ERP_URL / SCM_URL.
 */
export function registerWorkerCommand(program: Command, parts: Pick<SystemParts, 'connectors'>): void {
  program
    .command('worker')
    .description('run connector workers (all registered connectors, or those named with --connector)')
    .option('--connector <name...>', 'connector(s) to run; repeatable')
    .action(async (flags: { connector?: string[] }) => {
      const connectors = selectConnectors(await parts.connectors(), flags.connector ?? []);
      if (connectors.length === 0) throw new SwitchboardError(ERRORS.RUNTIME_NO_CONNECTORS.code, 'no connectors are registered in connectors/index.ts');
      const logger = createLogger('worker');
      const redis = createRedis(loadRedisUrl(), logger, 'worker');
      const services = await startRuntimeServices({
        bus: loadBusConfig(),
        redis,
        registry: new SchemaRegistryClient(loadSchemaRegistryClientConfig()),
        logger,
        prefix: loadTopicPrefix(),
      });
      const workers = connectors.map((connector) => new ConnectorWorker(connector, services));
      // A connector written as YAML is reloaded when its file changes (hub/declarative/hot-reload.ts).
      const reloads = watchDeclarativeConnectors(workers, logger);
      let stopping: Promise<void> | undefined;
      const stop = () => {
        stopping ??= (async () => {
          reloads.close();
          await Promise.allSettled(workers.map((worker) => worker.stop()));
          await stopRuntimeServices(services);
          await redis.quit();
        })();
        return stopping;
      };
      const done = new Promise<void>((resolve) => {
        const onSignal = () => {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          stop().then(resolve, (error: unknown) => {
            logger.error({ err: error }, 'workers did not stop cleanly');
            resolve();
          });
        };
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
      });
      try {
        await Promise.all(workers.map((worker) => worker.start()));
      } catch (error) {
        await stop();
        throw error;
      }
      process.stdout.write(`worker running ${connectors.length} connector(s): ${connectors.map((c) => c.name).join(', ')}\n`);
      await done;
    });
}
