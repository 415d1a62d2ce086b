import { randomUUID } from 'node:crypto';
import { RetriableError } from '../../hub/errors/index.js';
import type { ConnectorDefinition, ConnectorEvent, MappingContext } from '../../hub/sdk/types.js';
import type { EventFullName, SourceEventName } from '../../hub/sdk/types.js';
import { eventually } from './isolation.js';
import { sourceTopicName, startKitStack, type KitStack, type TopicCollector } from './kit-stack.js';
import { RecordingTarget, type ResponseBody } from './recording-target.js';

/** One source event the suite publishes. */
export interface FixtureEvent {
  readonly eventType: SourceEventName;
  readonly value: unknown;
}

/** What the suite needs to know about the connector under test. */
export interface ConformanceFixtures {
  /**
   * `count` events of the aggregate `key`, in the order they happen. Each must be handled by
   * the connector and cause at least one effect (a call to its target or a produced event).
   */
  events(key: string, count: number): readonly FixtureEvent[];
  /** For topic-to-topic connectors: the event types it produces (where effects are observed). */
  readonly produces?: readonly EventFullName[];
  /** For HTTP connectors: what the stand-in target answers, when the mapping reads its answer (e.g. `{ accountNumber }`). */
  readonly respond?: ResponseBody;
  /** State the mapping needs before events flow, e.g. cross-references: `stack.services.xref.put(...)`. */
  setup?(stack: KitStack): Promise<void>;
  /** Time allowed for each wait. Default 45 s. */
  readonly timeoutMs?: number;
}

/** One applied effect, attributed to the source event that caused it. */
interface Effect {
  readonly eventId: string;
  /** Identity of the effect: repeated identities are duplicates. */
  readonly identity: string;
}

/** A fresh, isolated world for one conformance test. */
interface World {
  readonly stack: KitStack;
  readonly target: RecordingTarget | undefined;
  readonly collectors: TopicCollector[];
  readonly connector: ConnectorDefinition;
  effects(): Effect[];
  close(): Promise<void>;
}

/**
 * The conformance suite every connector passes, run against the real local stack (Kafka,
 * Redis, the built-in registry) with the runtime, a unique prefix per test, and either a
 * RecordingTarget standing in for the connector's HTTP target (deduplicating on
 * Idempotency-Key like the services) or collectors on the topics it produces to.
 *
 * It asserts: ordering per key (and one effect per event); retry (a failing target or
 * dependency, then success: applied once, nothing dead-lettered); dead-letter (undecodable
 * bytes and an unknown schema id go to the dead-letter topic with their reason while later
 * events flow); idempotent replay (the same event twice: one effect); shutdown (a graceful
 * stop finishes in-flight work and commits; a new worker continues without loss or duplicates).
 *
 * Call it at the top level of a test file (it declares a `describe` block).
 *
 * @example
 * ```ts
 * runConformanceSuite(crmCustomerToErp, {
 *   events: (key, count) => Array.from({ length: count }, (_, i) => ({
 *     eventType: 'switchboard.crm.CustomerUpdated', value: { ...EXAMPLE_EVENTS['switchboard.crm.CustomerUpdated'], customerId: key, name: `v${i}` },
 *   })),
 * });
 * ```
 */
export function runConformanceSuite(connectorUnderTest: ConnectorDefinition, fixtures: ConformanceFixtures): void {
  const timeout = fixtures.timeoutMs ?? 45_000;
  const isHttp = 'system' in connectorUnderTest.target;

  describe(`conformance: ${connectorUnderTest.name}`, () => {
    let world: World | undefined;
    afterEach(async () => {
      await world?.close();
      world = undefined;
    });

    const open = async (label: string, connector: ConnectorDefinition = connectorUnderTest): Promise<World> => {
      const target = isHttp ? await RecordingTarget.start({ respond: fixtures.respond }) : undefined;
      const system = 'system' in connectorUnderTest.target ? connectorUnderTest.target.system : undefined;
      const stack = await startKitStack({ label: `k${label}`, systemUrls: target && system ? { [system]: target.url } : {} });
      const collectors = await Promise.all((fixtures.produces ?? []).map((eventType) => stack.collect(eventType)));
      await fixtures.setup?.(stack);
      world = {
        stack, target, collectors, connector,
        effects: () =>
          target
            ? target.effects().map((call) => ({ eventId: eventIdOfKey(call.idempotencyKey), identity: call.idempotencyKey ?? randomUUID() }))
            : collectors.flatMap((c) => c.events.map((event) => ({ eventId: event.metadata.causationId ?? '', identity: event.metadata.id }))),
        close: async () => {
          await stack.close();
          await target?.close();
        },
      };
      return world;
    };

    /** Publishes `count` events for each key, interleaved; returns event ids per key in order. */
    const publish = async (w: World, keys: readonly string[], count: number): Promise<Map<string, string[]>> => {
      const ids = new Map<string, string[]>(keys.map((key) => [key, []]));
      const perKey = new Map(keys.map((key) => [key, fixtures.events(key, count)]));
      for (let i = 0; i < count; i++) {
        for (const key of keys) {
          const fixture = (perKey.get(key) as readonly FixtureEvent[])[i];
          const metadata = await w.stack.publish(fixture.eventType, key, fixture.value as never);
          ids.get(key)?.push(metadata.id);
        }
      }
      return ids;
    };

    const allApplied = async (w: World, ids: Map<string, string[]>, what: string) => {
      const wanted = new Set([...ids.values()].flat());
      await eventually(() => {
        const seen = new Set(w.effects().map((e) => e.eventId));
        return [...wanted].every((id) => seen.has(id)) ? true : undefined;
      }, timeout, what);
    };

    const expectExactlyOnce = (w: World) => {
      const identities = w.effects().map((e) => e.identity);
      expect(identities.length).toBe(new Set(identities).size);
    };

    it('applies the events of one key in order, one effect per event', async () => {
      const w = await open('order');
      await w.stack.startWorker(w.connector);
      const ids = await publish(w, ['K-1', 'K-2', 'K-3'], 4);
      await allApplied(w, ids, 'every event applied');
      for (const [key, expected] of ids) {
        const order = firstSeenOrder(w.effects().map((e) => e.eventId)).filter((id) => expected.includes(id));
        expect({ key, order }).toEqual({ key, order: expected });
      }
      expectExactlyOnce(w);
    });

    it('retries a failing target or dependency, applies once and dead-letters nothing', async () => {
      let failures = 3;
      const connector = isHttp ? connectorUnderTest : failingFirst(connectorUnderTest, () => failures-- > 0);
      const w = await open('retry', connector);
      w.target?.failNext(2, 503);
      w.target?.failNext(1, 'drop');
      const worker = await w.stack.startWorker(w.connector);
      const ids = await publish(w, ['K-1'], 2);
      await allApplied(w, ids, 'events applied after the failures');
      expectExactlyOnce(w);
      expect(worker.stats.retried + worker.stats.parked).toBeGreaterThan(0);
      expect(worker.stats.deadLettered).toBe(0);
      expect(await w.stack.deadLetters.list(w.connector.name)).toEqual([]);
    });

    it('dead-letters undecodable bytes and an unknown schema id, with the reason, while later events flow', async () => {
      const w = await open('dlq');
      const worker = await w.stack.startWorker(w.connector);
      const eventType = connectorUnderTest.source.eventTypes[0];
      const topic = sourceTopicName(eventType);
      await w.stack.publishRaw(topic, 'K-1', Buffer.from('not avro at all'), w.stack.headersFor(eventType));
      const unknownId = Buffer.concat([Buffer.from([0, 0x7f, 0xff, 0xff, 0xf0]), Buffer.from('body')]);
      await w.stack.publishRaw(topic, 'K-1', unknownId, w.stack.headersFor(eventType));
      const ids = await publish(w, ['K-1', 'K-2'], 2);
      await allApplied(w, ids, 'events after the poison applied');
      const letters = await eventually(async () => {
        const list = await w.stack.deadLetters.list(w.connector.name);
        return list.length >= 2 ? list : undefined;
      }, timeout, 'two dead letters');
      expect(letters.map((l) => l.errorCode).sort()).toEqual(['SWB_ERR_CODEC_UNDECODABLE', 'SWB_ERR_SCHEMA_NOT_FOUND']);
      for (const letter of letters) {
        expect(letter.originalTopic).toBe(`${w.stack.prefix}${topic}`);
        expect(letter.errorMessage).not.toBe('');
        expect(letter.headers['ce_type']).toBe(w.stack.headersFor(eventType).ce_type);
      }
      expect(worker.stats.deadLettered).toBe(2);
      expectExactlyOnce(w);
    });

    it('applies the same event delivered twice only once', async () => {
      const w = await open('idem');
      const worker = await w.stack.startWorker(w.connector);
      const [fixture] = fixtures.events('K-1', 1);
      const first = await w.stack.publish(fixture.eventType, 'K-1', fixture.value as never);
      await w.stack.publish(fixture.eventType, 'K-1', fixture.value as never, { id: first.id, correlationId: first.correlationId });
      const later = await publish(w, ['K-1'], 1);
      await allApplied(w, later, 'the event after the duplicate');
      await allApplied(w, new Map([['K-1', [first.id]]]), 'the duplicated event');
      // The runtime settled all three records: the duplicate was skipped, not applied again.
      await eventually(() => (worker.stats.delivered + worker.stats.skipped >= 3 ? true : undefined), timeout, 'three records settled');
      expect(worker.stats.skipped).toBe(1);
      expect(worker.stats.delivered).toBe(2);
      expectExactlyOnce(w);
    });

    it('finishes in-flight work on stop, commits, and a new worker continues without loss or duplicates', async () => {
      const connector = slowed(connectorUnderTest, 150);
      const w = await open('stop', connector);
      w.target?.setDelay(100);
      const first = await w.stack.startWorker(w.connector);
      const ids = await publish(w, ['K-1', 'K-2', 'K-3', 'K-4'], 5);
      await eventually(() => (w.effects().length >= 3 ? true : undefined), timeout, 'some effects');
      await first.stop();
      // Nothing was left running: every call the worker started had its answer before stop() returned.
      expect(w.target?.inFlight ?? 0).toBe(0);
      const second = await w.stack.startWorker(w.connector);
      await allApplied(w, ids, 'every event after the restart');
      expectExactlyOnce(w);
      expect(second.stats.deadLettered + first.stats.deadLettered).toBe(0);
    });
  });
}

/** The event id in an idempotency key `<connector>:<ce_id>[:n]`. */
function eventIdOfKey(key: string | undefined): string {
  return key?.split(':')[1] ?? '';
}

function firstSeenOrder(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

/** The connector, with its mapping failing (retriably) while `fail()` says so. */
function failingFirst(connector: ConnectorDefinition, fail: () => boolean): ConnectorDefinition {
  return {
    ...connector,
    map: (event: ConnectorEvent, ctx: MappingContext) => {
      if (fail()) throw new RetriableError('conformance: injected transient failure');
      return connector.map(event, ctx);
    },
  };
}

/** The connector, with each mapping taking `ms` (so work is in flight when the worker stops). */
function slowed(connector: ConnectorDefinition, ms: number): ConnectorDefinition {
  return {
    ...connector,
    map: async (event: ConnectorEvent, ctx: MappingContext) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return connector.map(event, ctx);
    },
  };
}
