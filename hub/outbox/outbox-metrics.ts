import { Counter, Gauge } from 'prom-client';
import { metricsRegistry } from '../telemetry/index.js';
import type { Outbox } from '../service/outbox.js';
import type { OutboxRelayStatus } from './outbox-relay.js';

/** What the metrics read of one service's outbox and relay, at scrape time. */
export interface WatchedOutbox {
  readonly outbox: Pick<Outbox, 'oldestUnsentAt'>;
  /** The relay's snapshot (its backlog is a count over the outbox table). */
  readonly status: () => OutboxRelayStatus;
}

const watched = new Map<string, WatchedOutbox>();
const publishedSeen = new Map<string, number>();

function eachWatched(read: (service: string, source: WatchedOutbox) => void): void {
  for (const [service, source] of watched) {
    try {
      read(service, source);
    } catch {
      // A closed database (the service is stopping): no sample rather than a failed scrape.
    }
  }
}

new Gauge({
  name: 'switchboard_outbox_backlog_events',
  help: 'Events written to the outbox and not yet published to Kafka.',
  labelNames: ['service'] as const,
  registers: [metricsRegistry],
  collect() {
    this.reset();
    eachWatched((service, source) => {
      const { backlog } = source.status();
      if (backlog >= 0) this.set({ service }, backlog);
    });
  },
});

new Gauge({
  name: 'switchboard_outbox_oldest_unsent_age_seconds',
  help: 'Age of the oldest event waiting in the outbox (0 when none waits).',
  labelNames: ['service'] as const,
  registers: [metricsRegistry],
  collect() {
    this.reset();
    eachWatched((service, source) => {
      const oldest = source.outbox.oldestUnsentAt();
      this.set({ service }, oldest === null ? 0 : Math.max(0, (Date.now() - oldest) / 1000));
    });
  },
});

new Gauge({
  name: 'switchboard_outbox_relay_halted',
  help: '1 while the outbox relay is halted before an event it cannot publish (see the relay\'s error log line).',
  labelNames: ['service'] as const,
  registers: [metricsRegistry],
  collect() {
    this.reset();
    eachWatched((service, source) => this.set({ service }, source.status().state === 'halted' ? 1 : 0));
  },
});

new Counter({
  name: 'switchboard_outbox_events_published_total',
  help: 'Outbox events the relay published (acknowledged by Kafka) since the process started.',
  labelNames: ['service'] as const,
  registers: [metricsRegistry],
  collect() {
    eachWatched((service, source) => {
      const { sent } = source.status();
      const delta = sent - (publishedSeen.get(service) ?? 0);
      publishedSeen.set(service, sent);
      this.inc({ service }, Math.max(0, delta));
    });
  },
});

/**
 * Exposes one service's outbox at `/metrics`, read at scrape time:
 * `switchboard_outbox_backlog_events`, `switchboard_outbox_oldest_unsent_age_seconds`,
 * `switchboard_outbox_relay_halted` and `switchboard_outbox_events_published_total`, each
 * labelled `service`. Returns the function that stops exposing it.
 *
 * @example
 * ```ts
 * const unwatch = watchOutbox('crm', { outbox, status: () => relay.status() });
 * // ... on stop:
 * unwatch();
 * ```
 */
export function watchOutbox(service: string, source: WatchedOutbox): () => void {
  watched.set(service, source);
  return () => {
    if (watched.get(service) === source) watched.delete(service);
  };
}
