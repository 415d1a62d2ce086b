import { InvalidArgumentError, type Command } from 'commander';
import { loadBusConfig } from '../../bus/index.js';
import { watchDeclarativeConnectors } from '../../declarative/index.js';
import { ERRORS, SwitchboardError } from '../../errors/index.js';
import { createLogger } from '../../log/logger.js';
import { loadTopicPrefix } from '../../config/topic-prefix.js';
import { ConnectorWorker } from '../../runtime/connector-worker.js';
import { asLogin, loadConnectorKafkaCredentials } from '../../runtime/connector-kafka-credentials.js';
import { connectorServices, startRuntimeServices, stopRuntimeServices, type RuntimeServices } from '../../runtime/runtime-services.js';
import { loadWorkerOverrides } from '../../runtime/worker-overrides.js';
import { SchemaRegistryClient, loadSchemaRegistryClientConfig } from '../../schema/client/index.js';
import { createRedis, loadRedisUrl } from '../../state/redis.js';
import { loadWorkerMetricsConfig, startMetricsServer, startTracing, stopTracing } from '../../telemetry/index.js';
import { selectConnectors } from '../select-connectors.js';
import type { SystemParts } from '../system-parts.js';

function metricsPort(value: string): string {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) throw new InvalidArgumentError('must be a port between 0 and 65535');
  return value;
}

/**
 * `switchboard worker [--connector NAME ...]`: runs connector workers (all registered
 * connectors, or the named ones) in this process until SIGINT/SIGTERM, then stops them
 * gracefully: stop fetching, finish in-flight events, commit, leave the groups. A YAML
 * connector whose file changes is reloaded in place. Start it on
 * several machines to share the partitions. Settings: KAFKA_*, REDIS_URL,
 * SCHEMA_REGISTRY_URL, CRM_URL / ERP_URL / SCM_URL; KAFKA_CONNECTOR_CREDENTIALS_FILE gives
 * each connector its own Kafka login (its own consumers and producer; the cross-references
 * keep the worker's KAFKA_SASL_* login); WORKER_STALL_TIMEOUT_MS and
 * WORKER_MISSING_DEPENDENCY_DEADLINE_MS replace every connector's own. Serves `/metrics` and `/healthz` on
 * WORKER_METRICS_PORT (default 9464; `--metrics-port` overrides it, 0 picks a free one: each
 * worker on one machine needs its own); traced as `worker` when the OTEL_* variables ask for it.
 */
export function registerWorkerCommand(program: Command, parts: Pick<SystemParts, 'connectors'>): void {
  program
    .command('worker')
    .description('run connector workers (all registered connectors, or those named with --connector)')
    .option('--connector <name...>', 'connector(s) to run; repeatable')
    .option('--metrics-port <port>', 'port of /metrics and /healthz (WORKER_METRICS_PORT, default 9464; 0: any free port)', metricsPort)
    .action(async (flags: { connector?: string[]; metricsPort?: string }) => {
      const overrides = loadWorkerOverrides();
      const connectors = selectConnectors(await parts.connectors(), flags.connector ?? []);
      if (connectors.length === 0) throw new SwitchboardError(ERRORS.RUNTIME_NO_CONNECTORS.code, 'no connectors are registered in connectors/index.ts');
      // A secure deployment gives each connector its own Kafka principal (KAFKA_CONNECTOR_CREDENTIALS_FILE).
      const busConfig = loadBusConfig();
      const logins = loadConnectorKafkaCredentials(connectors.map((connector) => connector.name));
      const ownConfigs = logins && new Map([...logins].map(([name, login]) => [name, asLogin(busConfig, login)]));
      const metricsConfig = loadWorkerMetricsConfig(flags.metricsPort === undefined ? process.env : { ...process.env, WORKER_METRICS_PORT: flags.metricsPort });
      const logger = createLogger('worker');
      // First, so a port taken by another worker fails at once, before any connection is made.
      let workers: ConnectorWorker[] = [];
      const metrics = await startMetricsServer({
        ...metricsConfig,
        name: 'worker',
        health: () => ({ connectors: Object.fromEntries(workers.map((worker) => [worker.name, worker.status().state])) }),
      }).catch((error: unknown) => {
        throw new SwitchboardError(ERRORS.RUNTIME_METRICS_PORT.code, `the worker cannot serve /metrics on ${metricsConfig.host}:${metricsConfig.port}: ${error instanceof Error ? error.message : String(error)}; give each worker its own port (--metrics-port or WORKER_METRICS_PORT)`, { cause: error });
      });
      startTracing('worker', logger);
      const redis = createRedis(loadRedisUrl(), logger, 'worker');
      const services = await startRuntimeServices({
        bus: busConfig,
        redis,
        registry: new SchemaRegistryClient(loadSchemaRegistryClientConfig()),
        logger,
        prefix: loadTopicPrefix(),
      }).catch(async (error: unknown) => {
        redis.disconnect();
        await metrics.close();
        await stopTracing();
        throw error;
      });
      // A connector Kafka refuses (a missing ACL) stops for good: the process exits non-zero with the reason.
      let failedWith: Error | undefined;
      let onFailure: (() => void) | undefined;
      const own: RuntimeServices[] = [];
      const servicesOf = (name: string): RuntimeServices => {
        const config = ownConfigs?.get(name);
        if (!config) return services;
        const separate = connectorServices(services, config, name);
        own.push(separate);
        return separate;
      };
      workers = connectors.map((connector) => new ConnectorWorker(connector, servicesOf(connector.name), {
        overrides,
        onFailed: (error) => {
          failedWith ??= error;
          onFailure?.();
        },
      }));
      // A connector written as YAML is reloaded when its file changes (hub/declarative/hot-reload.ts).
      const reloads = watchDeclarativeConnectors(workers, logger);
      let stopping: Promise<void> | undefined;
      const stop = () => {
        stopping ??= (async () => {
          reloads.close();
          await Promise.allSettled(workers.map((worker) => worker.stop()));
          await Promise.allSettled(own.map((separate) => separate.producer.close()));
          await stopRuntimeServices(services);
          await redis.quit();
          await metrics.close();
          await stopTracing();
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
        onFailure = onSignal;
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
      });
      try {
        await Promise.all(workers.map((worker) => worker.start()));
      } catch (error) {
        await stop();
        throw error;
      }
      process.stdout.write(`worker running ${connectors.length} connector(s): ${connectors.map((c) => c.name).join(', ')}; metrics at ${metrics.url}/metrics\n`);
      await done;
      if (failedWith) throw failedWith;
    });
}
