import type { Command } from 'commander';
import { loadBusConfig } from '../../bus/index.js';
import { createLogger } from '../../log/logger.js';
import { createRegistryServer } from '../../schema/registry/server.js';
import { loadRegistryConfig } from '../../schema/registry/config.js';
import { startTracing, stopTracing } from '../../telemetry/index.js';

/**
 * `switchboard registry`: runs the built-in Confluent-compatible schema registry until
 * SIGINT/SIGTERM. Settings: SCHEMA_REGISTRY_HOST / _PORT / _TOPIC and KAFKA_*; the flags
 * override the variables. Traced as `schema-registry` when the OTEL_* variables ask for it;
 * `/metrics` on its port.
 */
export function registerRegistryCommand(program: Command): void {
  program
    .command('registry')
    .description('run the built-in schema registry (Confluent REST API, stored in the compacted _schemas topic)')
    .option('--host <host>', 'listen address (SCHEMA_REGISTRY_HOST, default 127.0.0.1)')
    .option('--port <port>', 'listen port (SCHEMA_REGISTRY_PORT, default 8081)')
    .option('--topic <topic>', 'store topic (SCHEMA_REGISTRY_TOPIC, default _schemas)')
    .action(async (flags: { host?: string; port?: string; topic?: string }) => {
      const config = loadRegistryConfig({
        ...process.env,
        ...(flags.host ? { SCHEMA_REGISTRY_HOST: flags.host } : {}),
        ...(flags.port ? { SCHEMA_REGISTRY_PORT: flags.port } : {}),
        ...(flags.topic ? { SCHEMA_REGISTRY_TOPIC: flags.topic } : {}),
      });
      const logger = createLogger('schema-registry');
      startTracing('schema-registry', logger);
      const server = createRegistryServer({ ...config, bus: loadBusConfig(), logger });
      const address = await server.start();
      process.stdout.write(`schema registry listening on ${address} (store: ${config.topic})\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          server.stop().then(stopTracing).then(resolve, (error: unknown) => {
            logger.error({ err: error }, 'schema registry did not stop cleanly');
            resolve();
          });
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
