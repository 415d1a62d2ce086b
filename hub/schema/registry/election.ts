import { hostname } from 'node:os';
import { INTERNAL_TOPICS } from '../../../catalogue/index.js';
import { Bus, type BusConfig, type Leadership } from '../../bus/index.js';
import type { Logger } from '../../log/logger.js';

/** Who takes writes right now, as this instance sees it. */
export interface WriterView {
  /** Changes whenever the view changes; equal terms mean the same view. */
  readonly term: number;
  /** This instance is the writer. */
  readonly self: boolean;
  /** The writer's advertised URL; undefined while no writer is known. */
  readonly url: string | undefined;
}

/** Where a registry instance learns who the writer is. */
export interface WriterSource {
  current(): WriterView;
  /** Resolves true once the view's term passes `afterTerm`, false when `until` (epoch ms) comes first. */
  changed(afterTerm: number, until: number): Promise<boolean>;
}

/** No election: this instance takes every write (one process, or a MemorySchemaStore in tests). */
export const SOLE_WRITER: WriterSource = {
  current: () => ({ term: 0, self: true, url: undefined }),
  changed: (_afterTerm, until) => new Promise((resolve) => setTimeout(() => resolve(false), Math.max(0, until - Date.now()))),
};

/**
 * The one-partition topic every registry's election group subscribes to (never written). One
 * for the whole cluster: the group (one per store topic) decides who elects together; the
 * topic only carries the partition that the group hands to its writer. A topic per store
 * would leave one behind for every short-lived store (tests).
 */
export const ELECTION_TOPIC = `${INTERNAL_TOPICS.schemas}-election`;

export interface WriterElectionOptions {
  readonly bus: BusConfig;
  /** The store topic: instances on the same topic elect one writer. */
  readonly topic: string;
  readonly groupId: string;
  /** This instance's advertised URL, where the others forward writes while it is the writer. */
  readonly url: string;
  readonly sessionTimeoutMs: number;
  readonly logger: Logger;
}

/** What each instance advertises in the election. */
interface Advertisement {
  readonly url: string;
  readonly topic: string;
}

/**
 * The registry's writer election: Kafka's group protocol through `bus.leadership`; the member
 * of the store's group that holds partition 0 of `_schemas-election` writes. Each instance
 * advertises its URL and store topic; a writer advertising another topic (a group id shared by
 * mistake) is ignored, since forwarding to it would write into the wrong store.
 *
 * @example
 * ```ts
 * const election = new WriterElection({ bus, topic: '_schemas', groupId: defaultElectionGroup('_schemas'), url: 'http://10.0.0.5:8081', sessionTimeoutMs: 10_000, logger });
 * await election.start();
 * election.current(); // { term: 1, self: true, url: 'http://10.0.0.5:8081' }
 * ```
 */
export class WriterElection implements WriterSource {
  private readonly leadership: Leadership;
  private readonly topic: string;
  private readonly url: string;
  private readonly logger: Logger;

  constructor(options: WriterElectionOptions) {
    this.topic = options.topic;
    this.url = options.url;
    this.logger = options.logger;
    const advertisement: Advertisement = { url: options.url, topic: options.topic };
    this.leadership = new Bus(options.bus, options.logger, 'schema-registry-election').leadership({
      groupId: options.groupId,
      topic: ELECTION_TOPIC,
      metadata: JSON.stringify(advertisement),
      sessionTimeoutMs: options.sessionTimeoutMs,
      logger: options.logger,
    });
  }

  /** Joins the election; resolves once a writer is known (or after the session timeout without one). */
  start(): Promise<void> {
    return this.leadership.start();
  }

  /** Leaves the election: when this instance was the writer, another takes over at once. */
  stop(): Promise<void> {
    return this.leadership.stop();
  }

  current(): WriterView {
    const view = this.leadership.current();
    if (view.isLeader) return { term: view.term, self: true, url: this.url };
    return { term: view.term, self: false, url: view.leader ? this.urlOf(view.leader.metadata) : undefined };
  }

  changed(afterTerm: number, until: number): Promise<boolean> {
    return this.leadership.changed(afterTerm, until);
  }

  /** Calls `listener` with every new view. */
  onChange(listener: (view: WriterView) => void): () => void {
    return this.leadership.onChange(() => listener(this.current()));
  }

  private urlOf(metadata: string): string | undefined {
    try {
      const advertised = JSON.parse(metadata) as Partial<Advertisement>;
      if (advertised.topic === this.topic && typeof advertised.url === 'string') return advertised.url;
      this.logger.error({ writer: advertised.url, writerTopic: advertised.topic, topic: this.topic }, 'the elected writer stores in another topic: give registries on different topics different SCHEMA_REGISTRY_GROUP_IDs');
    } catch {
      this.logger.error({ metadata }, 'the elected writer advertised something this registry cannot read');
    }
    return undefined;
  }
}

/**
 * The URL other instances reach this one at: the configured one, else `http://<host>:<port>`
 * with the machine's name when listening on every interface (0.0.0.0, ::).
 */
export function advertisedUrl(configured: string | undefined, host: string, port: number): string {
  if (configured !== undefined) return configured;
  const wildcard = host === '0.0.0.0' || host === '::' || host === '::0' || host === '';
  const name = wildcard ? hostname() : host;
  return `http://${name.includes(':') ? `[${name}]` : name}:${port}`;
}
