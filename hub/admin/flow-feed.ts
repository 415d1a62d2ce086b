import { CDC_TABLES, DOMAIN_TOPICS, SYSTEMS, cdcRecordFullName, cdcTopicName, topicName } from '../../catalogue/index.js';
import { readControlStates } from '../runtime/control.js';
import type { AdminServices } from './admin-services.js';
import type { ConnectorStatus } from './burrow.js';
import { connectorStatusView } from './connector-status.js';

/**
 * The flow map's drawing: where events come from (the systems, and the databases whose row
 * changes `switchboard cdc` publishes), their topics, and the connectors from topics to systems.
 */
export interface FlowGraph {
  /** `system`: a catalogue system (publishes and is written to); `cdc`: a captured database (only publishes). */
  readonly systems: readonly { readonly name: string; readonly title: string; readonly description: string; readonly kind: 'system' | 'cdc' }[];
  readonly topics: readonly { readonly name: string; readonly system: string; readonly aggregate: string; readonly description: string; readonly eventTypes: readonly string[] }[];
  readonly connectors: readonly { readonly name: string; readonly description: string; readonly sources: readonly string[]; readonly target: string; readonly eventTypes: readonly string[] }[];
}

/** One connector's live figures on the flow map. */
export interface ConnectorFigures {
  readonly status: ConnectorStatus;
  readonly desiredState: string;
  readonly lag: number;
  /** Events per second applied over the last 5 s, from the tracking projection (live). */
  readonly appliedPerSecond: number;
  /** Events per second consumed and applied, from the workers' counters (as sampled every few seconds). */
  readonly consumedPerSecond: number;
  readonly parkedPerSecond: number;
  readonly deadLetteredPerSecond: number;
  readonly openDeadLetters: number;
  readonly workers: number;
  readonly lastError: { readonly code: string; readonly message: string; readonly at: string } | null;
}

/** The live figures of the flow map: per topic and per connector. */
export interface FlowFigures {
  readonly at: string;
  /** Events per second published on each topic over the last 5 s. */
  readonly topics: Readonly<Record<string, { readonly perSecond: number }>>;
  readonly connectors: Readonly<Record<string, ConnectorFigures>>;
  /** When the status sample behind lag and Burrow status was taken. */
  readonly sampledAt: string | null;
}

/**
 * The flow map of the console (what it draws, from the catalogue and the connector registry)
 * and its live figures, pushed to every open stream once a second: topic rates and the
 * connectors' applied, parked and dead-lettered rates from the tracking projection (live, by
 * the time things happened), lag and Burrow status from the LagSampler, open dead letters from
 * the dead-letter index. Figures are computed once per second however many pages listen, and
 * not at all while none does.
 *
 * @example
 * ```ts
 * const feed = new FlowFeed(services);
 * const stop = feed.subscribe((figures) => stream.write(JSON.stringify(figures)));
 * ```
 */
export class FlowFeed {
  private readonly listeners = new Set<(figures: FlowFigures) => void>();
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;

  constructor(private readonly services: AdminServices, private readonly intervalMs = 1000) {}

  graph(): FlowGraph {
    const { prefix } = this.services;
    return {
      systems: [
        ...SYSTEMS.map((system) => ({ name: system.name, title: system.title, description: system.description, kind: 'system' as const })),
        ...[...new Set(CDC_TABLES.map((table) => table.source))].map((source) => ({
          name: source, title: `${source} (CDC)`, description: `the ${source} database, its row changes published by switchboard cdc`, kind: 'cdc' as const,
        })),
      ],
      topics: [
        ...DOMAIN_TOPICS.map((spec) => ({ name: topicName(spec), system: spec.system, aggregate: spec.aggregate, description: spec.description, eventTypes: spec.eventTypes })),
        ...CDC_TABLES.map((spec) => ({ name: cdcTopicName(spec), system: spec.source, aggregate: spec.table, description: spec.description, eventTypes: [cdcRecordFullName(spec)] })),
      ],
      connectors: this.services.connectors.map((connector) => ({
        name: connector.name,
        description: connector.description,
        sources: connector.sources.map((topic) => (topic.startsWith(prefix) ? topic.slice(prefix.length) : topic)),
        target: connector.target,
        eventTypes: connector.eventTypes,
      })),
    };
  }

  async figures(now: number = Date.now()): Promise<FlowFigures> {
    const { services } = this;
    const rates = services.tracking.projection.rates;
    const names = services.connectors.map((c) => c.name);
    const [states, groups] = await Promise.all([readControlStates(services.redis, services.prefix), services.deadLetters.groups(names, { status: 'open' })]);
    const open = new Map<string, number>();
    for (const group of groups) open.set(group.connector, (open.get(group.connector) ?? 0) + group.open);
    let sampledAt: string | null = null;
    const connectors: Record<string, ConnectorFigures> = {};
    for (const connector of services.connectors) {
      const view = connectorStatusView(connector, services.sampler.snapshot(connector.name), states.get(connector.name), services.window);
      sampledAt = view.sampledAt ?? sampledAt;
      connectors[connector.name] = {
        status: view.status,
        desiredState: view.desiredState,
        lag: view.lag,
        appliedPerSecond: rates.perSecond(`applied:${connector.name}`, 5, now),
        consumedPerSecond: view.rates.consumedPerSecond,
        parkedPerSecond: rates.perSecond(`parked:${connector.name}`, 5, now),
        deadLetteredPerSecond: rates.perSecond(`dead-lettered:${connector.name}`, 5, now),
        openDeadLetters: open.get(connector.name) ?? 0,
        workers: view.workers.length,
        lastError: view.lastError ? { code: view.lastError.code, message: view.lastError.message, at: view.lastError.at } : null,
      };
    }
    const topics: Record<string, { perSecond: number }> = {};
    for (const spec of DOMAIN_TOPICS) topics[topicName(spec)] = { perSecond: rates.perSecond(`topic:${topicName(spec)}`, 5, now) };
    return { at: new Date(now).toISOString(), topics, connectors, sampledAt };
  }

  /** Calls `listener` with fresh figures now and every second until the returned function is called. */
  subscribe(listener: (figures: FlowFigures) => void): () => void {
    this.listeners.add(listener);
    void this.tick(listener);
    if (!this.timer) {
      this.timer = setInterval(() => void this.tick(), this.intervalMs);
      this.timer.unref();
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    };
  }

  /** Ends every subscription (the console stops). */
  close(): void {
    this.listeners.clear();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async tick(only?: (figures: FlowFigures) => void): Promise<void> {
    if (!only) {
      if (this.ticking) return;
      this.ticking = true;
    }
    try {
      const figures = await this.figures();
      for (const listener of only ? [only] : [...this.listeners]) listener(figures);
    } catch (error) {
      this.services.logger.warn({ err: error }, 'could not compute the flow map\'s figures; trying again in a second');
    } finally {
      if (!only) this.ticking = false;
    }
  }
}
