import type { Command } from 'commander';
import { relative } from 'node:path';
import { PROJECT_ROOT } from '../../config/project-root.js';
import {
  WEBHOOK_SOURCE_SCHEMA_FILE, WebhookStore, buildWebhookApp, loadWebhookSources, loadWebhooksConfig, webhookSourceSchemaIsStale, writeWebhookSourceSchema,
} from '../../adapters/webhooks/index.js';
import { createLogger } from '../../log/logger.js';
import { startEventPublishing } from '../../service/event-publishing.js';

/**
 * `switchboard webhooks`: the endpoint of signed webhooks (docs/adapters.md) until
 * SIGINT/SIGTERM, with the relay of its outbox to Kafka. Settings: WEBHOOKS_PORT, WEBHOOKS_HOST,
 * WEBHOOKS_DB_PATH, WEBHOOKS_DIR, WEBHOOK_<NAME>_SECRET per source, KAFKA_*,
 * SCHEMA_REGISTRY_URL, SWITCHBOARD_TOPIC_PREFIX. `switchboard webhooks schema [--check]`
 * writes (or checks) the JSON Schema of the source files.
 */
export function registerWebhooksCommands(program: Command): void {
  const webhooks = program
    .command('webhooks')
    .description('receive signed webhooks (one endpoint per source file in WEBHOOKS_DIR) and store them as events through an outbox')
    .action(async () => {
      const config = loadWebhooksConfig();
      const logger = createLogger('webhooks');
      const sources = loadWebhookSources(config.dir);
      const store = new WebhookStore(config.dbPath);
      const publishing = startEventPublishing(store.outbox, logger.child({ component: 'outbox-relay' }));
      const prune = setInterval(() => store.pruneDeliveries(), 3_600_000);
      prune.unref();
      const app = await buildWebhookApp({ sources, store, logger });
      const address = await app.listen({ port: config.port, host: config.host });
      process.stdout.write(`webhooks listening on ${address} for ${sources.map((source) => `/webhooks/${source.name}`).join(', ') || 'no sources'}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          clearInterval(prune);
          // Stop taking deliveries, let the relay publish what it holds, then close the store.
          void app.close()
            .then(() => publishing.stop())
            .then(() => store.close())
            .catch((error: unknown) => logger.error({ err: error }, 'webhooks did not stop cleanly'))
            .finally(resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });

  webhooks
    .command('schema')
    .description('write hub/adapters/webhooks/webhook-source.schema.json (the JSON Schema of webhook source files) from the catalogue')
    .option('--check', 'only check that the file is up to date')
    .action((flags: { check?: boolean }) => {
      const file = relative(PROJECT_ROOT, WEBHOOK_SOURCE_SCHEMA_FILE);
      if (flags.check) {
        if (webhookSourceSchemaIsStale()) {
          process.stdout.write(`${file} is stale: run \`switchboard webhooks schema\`\n`);
          process.exitCode = 1;
        } else process.stdout.write(`${file} is up to date\n`);
        return;
      }
      writeWebhookSourceSchema();
      process.stdout.write(`wrote ${file}\n`);
    });
}
