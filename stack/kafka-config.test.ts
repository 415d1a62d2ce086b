import { kafkaNodes, log4jProperties, newClusterId, quorumVoters, renderProperties, serverProperties } from './kafka-config.js';

describe('kafka-config', () => {
  it('lays out a single node on the base port with its controller on the next one', () => {
    const [node] = kafkaNodes(1, 9092, '/state/kafka');
    expect(node).toEqual({ nodeId: 1, port: 9092, controllerPort: 9093, dir: '/state/kafka/node-1' });
  });

  it('gives three nodes distinct ports, folders and one shared voters list', () => {
    const nodes = kafkaNodes(3, 9092, '/state/kafka-3-nodes');
    expect(nodes.map((node) => [node.nodeId, node.port, node.controllerPort])).toEqual([
      [1, 9092, 9093],
      [2, 9094, 9095],
      [3, 9096, 9097],
    ]);
    expect(new Set(nodes.map((node) => node.dir)).size).toBe(3);
    expect(quorumVoters(nodes)).toBe('1@127.0.0.1:9093,2@127.0.0.1:9095,3@127.0.0.1:9097');
    const voters = nodes.map((node) => serverProperties(node, nodes)['controller.quorum.voters']);
    expect(new Set(voters)).toEqual(new Set(['1@127.0.0.1:9093,2@127.0.0.1:9095,3@127.0.0.1:9097']));
  });

  it('configures a single node so groups and transactions work on one broker', () => {
    const nodes = kafkaNodes(1, 19092, '/s/kafka');
    const props = serverProperties(nodes[0], nodes);
    expect(props).toMatchObject({
      'process.roles': 'broker,controller',
      'node.id': '1',
      'controller.quorum.voters': '1@127.0.0.1:19093',
      listeners: 'PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093',
      'advertised.listeners': 'PLAINTEXT://127.0.0.1:19092',
      'controller.listener.names': 'CONTROLLER',
      'log.dirs': '/s/kafka/node-1/data',
      'offsets.topic.replication.factor': '1',
      'transaction.state.log.replication.factor': '1',
      'transaction.state.log.min.isr': '1',
      'group.initial.rebalance.delay.ms': '0',
      'auto.create.topics.enable': 'false',
      'num.partitions': '1',
    });
    expect(Number(props['offsets.topic.num.partitions'])).toBeLessThanOrEqual(10);
    expect(Number(props['transaction.state.log.num.partitions'])).toBeLessThanOrEqual(10);
  });

  it('replicates internal topics three ways with min ISR 2 on a three-node cluster', () => {
    const nodes = kafkaNodes(3, 9092, '/s/k3');
    const props = serverProperties(nodes[1], nodes);
    expect(props).toMatchObject({
      'node.id': '2',
      listeners: 'PLAINTEXT://127.0.0.1:9094,CONTROLLER://127.0.0.1:9095',
      'log.dirs': '/s/k3/node-2/data',
      'offsets.topic.replication.factor': '3',
      'transaction.state.log.replication.factor': '3',
      'transaction.state.log.min.isr': '2',
      'min.insync.replicas': '2',
      'default.replication.factor': '3',
    });
  });

  it('renders properties one per line and points log4j at the logs folder', () => {
    expect(renderProperties({ a: '1', 'b.c': 'x\\y' })).toBe('a=1\nb.c=x\\\\y\n');
    expect(log4jProperties('/s/logs')['log4j.appender.F.File']).toBe('/s/logs/server.log');
  });

  it('makes cluster ids like kafka-storage random-uuid: 22 base64url characters, never starting with "-"', () => {
    for (let i = 0; i < 200; i += 1) expect(newClusterId()).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    // A generator that first yields an id starting with '-' (0xfb…) and then the reserved zero id must be retried.
    const draws = [Buffer.alloc(16, 0xfb), Buffer.alloc(16, 0), Buffer.from('00112233445566778899aabbccddeeff', 'hex')];
    expect(newClusterId(() => draws.shift() ?? Buffer.alloc(16, 1))).toBe(Buffer.from('00112233445566778899aabbccddeeff', 'hex').toString('base64url'));
  });
});
