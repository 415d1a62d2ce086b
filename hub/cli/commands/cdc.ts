import type { Command } from 'commander';
import { CdcSource, loadCdcConfig } from '../../adapters/cdc/index.js';
import { Bus, loadBusConfig } from '../../bus/index.js';
import { loadTopicPrefix } from '../../config/topic-prefix.js';
import { createLogger } from '../../log/logger.js';
import { SchemaRegistryClient, loadSchemaRegistryClientConfig } from '../../schema/client/index.js';
import { AvroCodec } from '../../schema/codec/avro-codec.js';

/**
 * `switchboard cdc`: change-data capture of one PostgreSQL source until SIGINT/SIGTERM
 * (docs/adapters.md). Settings: CDC_DATABASE_URL, CDC_SOURCE, CDC_SLOT, CDC_PUBLICATION,
 * CDC_BATCH_SIZE, CDC_HEARTBEAT_MS, KAFKA_*, SCHEMA_REGISTRY_URL, SWITCHBOARD_TOPIC_PREFIX.
 * Prints `cdc streaming ...` once the snapshot (when one is needed) is published. Exits 1 when
 * capture stops for good (a schema the registry refuses, a table that cannot be captured).
 */
export function registerCdcCommand(program: Command): void {
  program
    .command('cdc')
    .description('change-data capture: publish the row changes of the catalogue\'s tables of one PostgreSQL database (CDC_DATABASE_URL) to Kafka')
    .action(async () => {
      const config = loadCdcConfig();
      const logger = createLogger('cdc');
      const bus = new Bus(loadBusConfig(), logger, 'cdc');
      const producer = bus.producer();
      const codec = new AvroCodec({ registry: new SchemaRegistryClient(loadSchemaRegistryClientConfig()) });
      const source = new CdcSource({ ...config, bus, producer, codec, prefix: loadTopicPrefix(), logger });
      let stopping: Promise<void> | undefined;
      const stop = () => {
        stopping ??= source.stop().then(() => producer.close());
        return stopping;
      };
      const signalled = new Promise<void>((resolve) => {
        const onSignal = () => {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          resolve();
        };
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
      });
      try {
        await Promise.race([source.start(), signalled]);
      } catch (error) {
        await stop();
        throw error;
      }
      process.stdout.write(`cdc streaming ${config.source} (slot ${config.slot}, publication ${config.publication})\n`);
      const failure = await Promise.race([source.failure, signalled.then(() => undefined)]);
      await stop();
      if (failure !== undefined) throw failure;
    });
}
