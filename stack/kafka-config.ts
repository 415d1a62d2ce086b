import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

/** One KRaft node of the local cluster (combined broker + controller). */
export interface KafkaNode {
  /** `node.id`, 1-based. */
  readonly nodeId: number;
  /** Port of the PLAINTEXT (client) listener. */
  readonly port: number;
  /** Port of the CONTROLLER listener. */
  readonly controllerPort: number;
  /** Folder of this node: server.properties, log4j.properties, data/, logs/, kafka.pid. */
  readonly dir: string;
}

/**
 * The nodes of a local cluster of `brokers` nodes. Node i (1-based) listens on
 * `basePort + 2(i-1)` for clients and the next port for the controller, so the default
 * single node is 9092/9093 and a three-node cluster 9092..9097.
 */
export function kafkaNodes(brokers: number, basePort: number, clusterDir: string): KafkaNode[] {
  return Array.from({ length: brokers }, (_, index) => ({
    nodeId: index + 1,
    port: basePort + 2 * index,
    controllerPort: basePort + 2 * index + 1,
    dir: join(clusterDir, `node-${index + 1}`),
  }));
}

/** The static `controller.quorum.voters` value naming every node's controller listener. */
export function quorumVoters(nodes: readonly KafkaNode[]): string {
  return nodes.map((node) => `${node.nodeId}@127.0.0.1:${node.controllerPort}`).join(',');
}

/**
 * The server.properties entries of one node. The internal-topic settings are the ones whose
 * defaults break or slow a small cluster: replication factor 3 for the offsets topic means
 * "group coordinator not available" on one node, 50 partitions make the first group join slow,
 * and a 3 s initial rebalance delay slows every test.
 */
export function serverProperties(node: KafkaNode, nodes: readonly KafkaNode[]): Record<string, string> {
  const replication = nodes.length >= 3 ? 3 : 1;
  const minIsr = nodes.length >= 3 ? 2 : 1;
  return {
    'process.roles': 'broker,controller',
    'node.id': String(node.nodeId),
    'controller.quorum.voters': quorumVoters(nodes),
    listeners: `PLAINTEXT://127.0.0.1:${node.port},CONTROLLER://127.0.0.1:${node.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${node.port}`,
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': join(node.dir, 'data'),
    'num.partitions': '1',
    'default.replication.factor': String(replication),
    'min.insync.replicas': String(minIsr),
    'offsets.topic.replication.factor': String(replication),
    'offsets.topic.num.partitions': '5',
    'transaction.state.log.replication.factor': String(replication),
    'transaction.state.log.min.isr': String(minIsr),
    'transaction.state.log.num.partitions': '5',
    'group.initial.rebalance.delay.ms': '0',
    'auto.create.topics.enable': 'false',
  };
}

/** log4j 1 (reload4j) configuration sending the broker's own log to `<logsDir>/server.log`. */
export function log4jProperties(logsDir: string): Record<string, string> {
  return {
    'log4j.rootLogger': 'INFO, F',
    'log4j.appender.F': 'org.apache.log4j.FileAppender',
    'log4j.appender.F.File': join(logsDir, 'server.log'),
    'log4j.appender.F.layout': 'org.apache.log4j.PatternLayout',
    'log4j.appender.F.layout.ConversionPattern': '[%d] %p %m (%c)%n',
    // The state-change and request loggers are noisy at INFO and say nothing an operator needs here.
    'log4j.logger.kafka.request.logger': 'WARN',
    'log4j.logger.state.change.logger': 'WARN',
  };
}

/** Renders a Java properties file. Backslashes are escaped so Windows-like paths survive. */
export function renderProperties(entries: Record<string, string>): string {
  return `${Object.entries(entries)
    .map(([key, value]) => `${key}=${value.replace(/\\/g, '\\\\')}`)
    .join('\n')}\n`;
}

/**
 * A new KRaft cluster id, as `kafka-storage random-uuid` makes it: 16 random bytes in
 * unpadded base64url. Like Kafka's Uuid.randomUuid it avoids the all-zero id, the reserved
 * metadata topic id (…0001) and ids starting with '-' (they read as a command-line flag).
 */
export function newClusterId(random: (size: number) => Buffer = randomBytes): string {
  for (;;) {
    const bytes = random(16);
    const allZeroButLast = bytes.subarray(0, 15).every((byte) => byte === 0);
    const id = bytes.toString('base64url');
    if (!(allZeroButLast && bytes[15] <= 1) && !id.startsWith('-')) return id;
  }
}
