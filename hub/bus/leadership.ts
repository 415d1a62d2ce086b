import kafkajs, { type Consumer, type Kafka, type PartitionAssigner } from 'kafkajs';
import type { Logger } from '../log/logger.js';
import type { BusConfig } from './bus-config.js';
import { waitForTopicLeaders } from './bus-admin.js';
import { subscribeWhenKnown } from './subscribe-when-known.js';

// kafkajs is CommonJS; Node's ESM loader cannot see every named export.
const { AssignerProtocol } = kafkajs;

/** The group protocol name; every member must speak it (kafkajs refuses a group with none in common). */
const PROTOCOL = 'SwitchboardLeadership';
const HEARTBEAT_INTERVAL_MS = 1000;
/** How often a member without partitions wakes up to heartbeat (kafkajs sleeps this long per idle fetch). */
const IDLE_WAIT_MS = 500;
const RESTART_DELAY_MS = 2000;

export interface LeadershipOptions {
  /** The consumer group the candidates join: one group per thing that needs one leader. */
  readonly groupId: string;
  /**
   * The election topic the group subscribes to, created with one partition when missing and
   * never written: the member the group assigns its partition 0 is the leader.
   */
  readonly topic: string;
  /** What this member tells the others (e.g. its URL); the leader's reaches every member. */
  readonly metadata: string;
  readonly logger: Logger;
  /** How long a silent leader (crashed, paused, cut off) keeps the role before the group moves it. Default 10 000 ms. */
  readonly sessionTimeoutMs?: number;
}

/** One member's view of the election. */
export interface LeadershipView {
  /** Grows with every change of this view; equal terms mean nothing happened in between. */
  readonly term: number;
  /** This member holds the leadership. */
  readonly isLeader: boolean;
  /** The leader and the metadata it advertised; undefined while unknown (joining, stopped, failed). */
  readonly leader: { readonly memberId: string; readonly metadata: string } | undefined;
}

/** What each member puts into its group subscription. */
interface Candidacy {
  readonly metadata: string;
  /** Held the leadership in the last generation it saw: the assignment keeps it there (sticky). */
  readonly held: boolean;
}

/**
 * Elects one leader among the processes that join `groupId`, with Kafka's group protocol, as
 * Confluent's schema registry does: a consumer group on a one-partition election topic whose
 * assignor (run by the group's coordinator-chosen member) gives partition 0 to exactly one
 * member. The leadership is sticky: a member that held it keeps it when others join or leave.
 * Every member advertises `metadata`; followers read the leader's from the group description.
 *
 * The group guarantees at most one leader *per generation*, not at every instant: a leader
 * that is paused or cut off longer than `sessionTimeoutMs` is replaced before it notices.
 * Whoever acts on leadership must fence the old leader where it writes (e.g. a CompactedLog
 * with `transactionalId`). A graceful `stop()` leaves the group, so another member takes over
 * within about a second; a crashed leader is replaced after `sessionTimeoutMs`.
 *
 * Create one with `bus.leadership(options)`.
 *
 * @example
 * ```ts
 * const election = bus.leadership({ groupId: 'registry', topic: '_schemas-election', metadata: 'http://10.0.0.5:8081', logger });
 * election.onChange((view) => logger.info({ leader: view.leader?.metadata, me: view.isLeader }, 'leadership changed'));
 * await election.start();
 * if (election.current().isLeader) { ... }
 * await election.stop();
 * ```
 */
export class Leadership {
  private readonly sessionTimeoutMs: number;
  private readonly logger: Logger;
  private consumer: Consumer | undefined;
  private view: LeadershipView = { term: 0, isLeader: false, leader: undefined };
  private readonly listeners = new Set<(view: LeadershipView) => void>();
  private held = false;
  /** Counts joins, so a slow group description never overwrites a newer join's view. */
  private joins = 0;
  private stopped = false;
  private restartTimer: NodeJS.Timeout | undefined;

  /** Use `bus.leadership(options)`; the kafkajs client stays inside hub/bus. */
  constructor(private readonly kafka: Kafka, private readonly config: BusConfig, private readonly options: LeadershipOptions) {
    this.sessionTimeoutMs = options.sessionTimeoutMs ?? 10_000;
    this.logger = options.logger.child({ component: 'leadership', group: options.groupId });
  }

  /**
   * Creates the election topic when missing and joins the group. Resolves once the first
   * leader is known, or after `sessionTimeoutMs` without one (the member keeps trying).
   */
  async start(): Promise<void> {
    await this.ensureTopic();
    await this.run();
    if (this.view.leader === undefined) await this.changed(this.view.term, Date.now() + this.sessionTimeoutMs);
  }

  /** Leaves the group: when this member led, another takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.disconnect();
    this.held = false;
    this.publish(false, undefined);
  }

  current(): LeadershipView {
    return this.view;
  }

  /** Calls `listener` with every new view; returns the function that unsubscribes it. */
  onChange(listener: (view: LeadershipView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves true once the view's term passes `afterTerm`, false when `until` (epoch ms) comes first. */
  changed(afterTerm: number, until: number): Promise<boolean> {
    if (this.view.term > afterTerm) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        unsubscribe();
        resolve(false);
      }, Math.max(0, until - Date.now()));
      const unsubscribe = this.onChange((view) => {
        if (view.term <= afterTerm) return;
        clearTimeout(timer);
        unsubscribe();
        resolve(true);
      });
    });
  }

  private async run(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      sessionTimeout: this.sessionTimeoutMs,
      // Members rejoin as soon as their next heartbeat sees the rebalance; a dead one is dropped at its session timeout.
      rebalanceTimeout: this.sessionTimeoutMs,
      heartbeatInterval: Math.min(HEARTBEAT_INTERVAL_MS, Math.floor(this.sessionTimeoutMs / 3)),
      maxWaitTimeInMs: IDLE_WAIT_MS,
      allowAutoTopicCreation: false,
      partitionAssigners: [this.assigner],
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      if (this.consumer !== consumer) return;
      void this.joined(consumer, payload.memberId, (payload.memberAssignment[this.options.topic] ?? []).includes(0));
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (this.consumer !== consumer || this.stopped) return;
      // Whatever happens next, this member is out of the generation it knew.
      this.held = false;
      this.publish(false, undefined);
      if (payload.restart) return; // kafkajs rejoins by itself
      this.logger.error({ err: payload.error }, 'leadership member stopped after an error; rejoining');
      this.rejoin(consumer);
    });
    await consumer.connect();
    await subscribeWhenKnown(consumer, [this.options.topic], false);
    // Nothing is ever written to the election topic; running keeps the member in the group.
    await consumer.run({ autoCommit: false, eachMessage: async () => undefined });
  }

  /** Replaces a member kafkajs gave up on, retrying until it is back in the group or stopped. */
  private rejoin(failed: Consumer): void {
    this.restartTimer = setTimeout(() => {
      void failed.disconnect().catch(() => undefined);
      if (this.stopped) return;
      // The election topic may be what went missing.
      this.ensureTopic().then(() => this.run()).catch((error: unknown) => {
        this.logger.error({ err: error }, 'could not rejoin the leadership group; trying again');
        if (this.consumer) this.rejoin(this.consumer);
      });
    }, RESTART_DELAY_MS);
  }

  private async joined(consumer: Consumer, memberId: string, isLeader: boolean): Promise<void> {
    const join = ++this.joins;
    this.held = isLeader;
    if (isLeader) {
      this.publish(true, { memberId, metadata: this.options.metadata });
      return;
    }
    // A follower keeps the leader it knew until the description below names the new one
    // (mostly the same: the leadership is sticky); a former leader steps down at once.
    if (this.view.isLeader) this.publish(false, undefined);
    // kafkajs hands a member only its own assignment; the group description has everyone's.
    for (let attempt = 0; attempt < 10; attempt++) {
      if (join !== this.joins || this.consumer !== consumer) return;
      try {
        const leader = leaderOf(await consumer.describeGroup(), this.options.topic);
        if (leader) {
          if (join === this.joins) this.publish(false, leader);
          return;
        }
      } catch (error) {
        this.logger.debug({ err: error }, 'could not describe the leadership group');
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    if (join === this.joins) this.publish(false, undefined);
  }

  private publish(isLeader: boolean, leader: LeadershipView['leader']): void {
    const same = this.view.isLeader === isLeader && this.view.leader?.memberId === leader?.memberId && this.view.leader?.metadata === leader?.metadata;
    if (same) return;
    this.view = { term: this.view.term + 1, isLeader, leader };
    this.logger.debug({ term: this.view.term, isLeader, leader: leader?.metadata }, isLeader ? 'this member leads' : leader ? 'following the leader' : 'leader unknown');
    for (const listener of [...this.listeners]) listener(this.view);
  }

  /** Partition 0 to the member that held it (else the first by member id), nothing to the others. */
  private readonly assigner: PartitionAssigner = () => ({
    name: PROTOCOL,
    version: 0,
    assign: async ({ members }) => {
      const candidates = members
        .map((member) => ({ memberId: member.memberId, candidacy: decodeCandidacy(member.memberMetadata) }))
        .sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
      const leader = candidates.find((c) => c.candidacy?.held) ?? candidates[0];
      return members.map((member) => ({
        memberId: member.memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 0,
          assignment: member.memberId === leader?.memberId ? { [this.options.topic]: [0] } : {},
          userData: Buffer.alloc(0),
        }),
      }));
    },
    protocol: ({ topics }) => {
      const candidacy: Candidacy = { metadata: this.options.metadata, held: this.held };
      return { name: PROTOCOL, metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.from(JSON.stringify(candidacy)) }) };
    },
  });

  private async ensureTopic(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      if ((await admin.listTopics()).includes(this.options.topic)) return;
      try {
        await admin.createTopics({
          waitForLeaders: false, // see waitForTopicLeaders
          topics: [{ topic: this.options.topic, numPartitions: 1, replicationFactor: this.config.replicationFactor }],
        });
      } catch (error) {
        // Another member may have created it between listTopics and createTopics.
        if (!(await admin.listTopics()).includes(this.options.topic)) throw error;
      }
      await waitForTopicLeaders(admin, [this.options.topic]);
    } finally {
      await admin.disconnect();
    }
  }
}

function decodeCandidacy(metadata: Buffer): Candidacy | undefined {
  try {
    const parsed = JSON.parse(AssignerProtocol.MemberMetadata.decode(metadata)?.userData.toString('utf8') ?? '') as Partial<Candidacy>;
    return typeof parsed.metadata === 'string' ? { metadata: parsed.metadata, held: parsed.held === true } : undefined;
  } catch {
    return undefined;
  }
}

/** The member holding partition 0 of `topic` in a described group, with its advertised metadata. */
function leaderOf(group: { state: string; members: { memberId: string; memberMetadata: Buffer; memberAssignment: Buffer }[] }, topic: string): LeadershipView['leader'] {
  if (group.state !== 'Stable') return undefined;
  for (const member of group.members) {
    const assignment = member.memberAssignment.length > 0 ? AssignerProtocol.MemberAssignment.decode(member.memberAssignment) : null;
    if (!(assignment?.assignment[topic] ?? []).includes(0)) continue;
    const candidacy = decodeCandidacy(member.memberMetadata);
    return candidacy ? { memberId: member.memberId, metadata: candidacy.metadata } : undefined;
  }
  return undefined;
}
