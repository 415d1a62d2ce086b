import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaLibsDir, kafkaPom } from './kafka-artifacts.js';
import { KAFKA_VERSION } from './kafka-version.js';
import { LAYOUT_FILE, REPO_ROOT, resolveStackSettings } from './stack-settings.js';
import { parseExtras } from './stack-extras.js';

describe('resolveStackSettings', () => {
  it('defaults to one node on 9092, Redis on 6379, state in the repo', () => {
    const settings = resolveStackSettings({ env: {} });
    expect(settings.dir).toBe(join(REPO_ROOT, '.switchboard', 'stack'));
    expect(settings.nodes.map((node) => node.port)).toEqual([9092]);
    expect(settings.redisPort).toBe(6379);
    expect(settings.externalKafka).toBeUndefined();
    expect(settings.externalRedis).toBeUndefined();
  });

  it('takes ports, node count and folder from the environment, and options over it', () => {
    const env = { SWITCHBOARD_KAFKA_PORT: '19092', SWITCHBOARD_REDIS_PORT: '16379', SWITCHBOARD_STACK_DIR: '/tmp/s', SWITCHBOARD_BROKERS: '3' };
    const fromEnv = resolveStackSettings({ env });
    expect(fromEnv).toMatchObject({ dir: '/tmp/s', kafkaPort: 19092, redisPort: 16379, brokers: 3, clusterDir: '/tmp/s/kafka-3-nodes' });
    expect(fromEnv.nodes.map((node) => node.port)).toEqual([19092, 19094, 19096]);
    expect(resolveStackSettings({ env, brokers: 1, kafkaPort: 29092, dir: '/tmp/o' })).toMatchObject({ dir: '/tmp/o', kafkaPort: 29092, brokers: 1, clusterDir: '/tmp/o/kafka' });
  });

  it('marks Kafka and Redis external when KAFKA_BROKERS / REDIS_URL are set', () => {
    const settings = resolveStackSettings({ env: { KAFKA_BROKERS: 'kafka:9092', REDIS_URL: 'redis://redis:6379' } });
    expect(settings.externalKafka).toBe('kafka:9092');
    expect(settings.externalRedis).toBe('redis://redis:6379');
  });

  it('names the variable when a port is unusable', () => {
    expect(() => resolveStackSettings({ env: { SWITCHBOARD_KAFKA_PORT: 'abc' } })).toThrow(/SWITCHBOARD_KAFKA_PORT/);
  });

  it('lets status describe the layout the last up recorded, unless told otherwise', () => {
    const dir = mkdtempSync(join(tmpdir(), 'swb-settings-'));
    writeFileSync(join(dir, LAYOUT_FILE), JSON.stringify({ brokers: 3, kafkaPort: 29092, redisPort: 26379 }));
    expect(resolveStackSettings({ env: {}, dir }, true)).toMatchObject({ brokers: 3, kafkaPort: 29092, redisPort: 26379 });
    expect(resolveStackSettings({ env: { SWITCHBOARD_REDIS_PORT: '6379' }, dir, brokers: 1 }, true)).toMatchObject({ brokers: 1, kafkaPort: 29092, redisPort: 6379 });
    expect(resolveStackSettings({ env: {}, dir })).toMatchObject({ brokers: 1, kafkaPort: 9092 });
  });
});

describe('kafka artifacts', () => {
  it('caches the pinned release under SWITCHBOARD_CACHE_DIR', () => {
    expect(kafkaLibsDir({ SWITCHBOARD_CACHE_DIR: '/c' })).toBe(`/c/kafka-${KAFKA_VERSION}/libs`);
  });

  it('asks Maven for the broker and its logging backend', () => {
    const pom = kafkaPom();
    expect(pom).toContain(`<artifactId>kafka_2.13</artifactId><version>${KAFKA_VERSION}</version>`);
    expect(pom).toContain('<artifactId>slf4j-reload4j</artifactId>');
    expect(pom).toContain('<artifactId>reload4j</artifactId>');
  });
});

describe('optional parts and secure mode', () => {
  it('reads --with values, repeated or comma-separated, and names unknown ones', () => {
    expect(parseExtras(['postgres,prometheus', 'postgres', ' Toxiproxy '])).toEqual({ ok: true, extras: ['postgres', 'prometheus', 'toxiproxy'], unknown: [] });
    expect(parseExtras(['mysql,postgres'])).toEqual({ ok: false, extras: ['postgres'], unknown: ['mysql'] });
  });

  it('defaults to no extras, not secure, and the standard ports', () => {
    expect(resolveStackSettings({ env: {} })).toMatchObject({ extras: [], secure: false, postgresPort: 5432, prometheusPort: 9090, toxiproxyPort: 8474, clusterDir: join(REPO_ROOT, '.switchboard', 'stack', 'kafka') });
  });

  it('takes extras, secure mode and ports from the environment, and options over it', () => {
    const env = { SWITCHBOARD_STACK_WITH: 'postgres,prometheus', SWITCHBOARD_SECURE: 'true', SWITCHBOARD_POSTGRES_PORT: '15432', SWITCHBOARD_PROMETHEUS_PORT: '19090', SWITCHBOARD_STACK_DIR: '/tmp/s' };
    expect(resolveStackSettings({ env })).toMatchObject({ extras: ['postgres', 'prometheus'], secure: true, postgresPort: 15432, prometheusPort: 19090, clusterDir: '/tmp/s/kafka-secure', tlsDir: '/tmp/s/tls', secureDir: '/tmp/s/secure', postgresDir: '/tmp/s/postgres' });
    expect(resolveStackSettings({ env, with: ['toxiproxy'], secure: false })).toMatchObject({ extras: ['toxiproxy'], secure: false, clusterDir: '/tmp/s/kafka' });
  });

  it('names the variable when a part or a port is unknown', () => {
    expect(() => resolveStackSettings({ env: { SWITCHBOARD_STACK_WITH: 'mysql' } })).toThrow(/SWITCHBOARD_STACK_WITH/);
    expect(() => resolveStackSettings({ env: { SWITCHBOARD_POSTGRES_PORT: '99999' } })).toThrow(/SWITCHBOARD_POSTGRES_PORT/);
    expect(() => resolveStackSettings({ env: { SWITCHBOARD_SECURE: 'maybe' } })).toThrow(/SWITCHBOARD_SECURE/);
  });

  it('lets status describe the secure layout and extras the last up recorded', () => {
    const dir = mkdtempSync(join(tmpdir(), 'swb-settings-'));
    writeFileSync(join(dir, LAYOUT_FILE), JSON.stringify({ brokers: 1, kafkaPort: 29092, redisPort: 26379, secure: true, with: ['postgres'], postgresPort: 25432 }));
    expect(resolveStackSettings({ env: {}, dir }, true)).toMatchObject({ secure: true, extras: ['postgres'], postgresPort: 25432, clusterDir: join(dir, 'kafka-secure') });
    expect(resolveStackSettings({ env: {}, dir })).toMatchObject({ secure: false, extras: [] });
    rmSync(dir, { recursive: true, force: true });
  });
});
