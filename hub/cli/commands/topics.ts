import type { Command } from 'commander';
import { Bus, loadBusConfig } from '../../bus/index.js';
import { loadTopicPrefix } from '../../config/topic-prefix.js';
import { createLogger } from '../../log/logger.js';
import { applyTopics } from '../../../topics/provision.js';
import { CDC_TABLES, DOMAIN_TOPICS, cdcTopicName, topicName } from '../../../catalogue/index.js';

/** `switchboard topics apply|list`. */
export function registerTopicsCommands(program: Command): void {
  const topics = program.command('topics').description('the topic catalogue: list it, or create/update the topics on the broker');

  topics
    .command('apply')
    .description('create or update every catalogue topic (idempotent); replication from KAFKA_REPLICATION_FACTOR / KAFKA_MIN_INSYNC_REPLICAS')
    .option('--prefix <prefix>', 'topic name prefix, to isolate a test run (default: SWITCHBOARD_TOPIC_PREFIX)')
    .action(async (options: { prefix?: string }) => {
      const config = loadBusConfig();
      const admin = new Bus(config, createLogger('topics')).admin();
      await admin.connect();
      try {
        const result = await applyTopics(admin, {
          replicationFactor: config.replicationFactor,
          minInsyncReplicas: config.minInsyncReplicas,
          prefix: options.prefix ?? loadTopicPrefix(),
        });
        process.stdout.write(
          `topics: ${result.created.length} created, ${result.updated.length} updated, ${result.unchanged.length} unchanged\n` +
            result.created.map((name) => `  + ${name}\n`).join('') +
            result.updated.map((name) => `  ~ ${name}\n`).join(''),
        );
      } finally {
        await admin.close();
      }
    });

  topics
    .command('list')
    .description('print the catalogue')
    .action(() => {
      for (const spec of DOMAIN_TOPICS) {
        process.stdout.write(
          `${topicName(spec).padEnd(26)} key=${spec.keyField} (${spec.keyDescription}); ${spec.partitions} partitions; ${spec.cleanupPolicy}; ` +
            `retention=${spec.retentionMs < 0 ? 'forever' : `${spec.retentionMs / 86400000}d`}; events: ${spec.eventTypes.join(', ')}\n`,
        );
      }
      for (const spec of CDC_TABLES) {
        process.stdout.write(
          `${cdcTopicName(spec).padEnd(26)} key=primary key (${spec.keyDescription}); ${spec.partitions} partitions; delete; ` +
            `retention=${spec.retentionMs < 0 ? 'forever' : `${spec.retentionMs / 86400000}d`}; row changes of ${spec.schema}.${spec.table} (switchboard cdc, source ${spec.source})\n`,
        );
      }
    });
}
