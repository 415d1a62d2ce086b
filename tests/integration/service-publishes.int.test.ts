/**
 * A service run as its own process (`switchboard service crm`), exactly as `switchboard up`
 * runs it: creating a customer over HTTP puts a CustomerCreated event on crm.customer.v1 that a
 * Confluent-compatible consumer we did not write decodes, with its CloudEvents headers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Bus, loadBusConfig, type ConsumedRecord } from '../../hub/bus/index.js';
import { createLogger } from '../../hub/log/logger.js';
import { DecimalType } from '../../hub/schema/decimal-type.js';
import { createRegistryServer, type RegistryServer } from '../../hub/schema/registry/index.js';
import { DOMAIN_TOPICS, topicName, topicSpec } from '../../catalogue/index.js';
import { applyTopics } from '../../topics/provision.js';
import { kitCredentials } from '../kit/credentials.js';
import { eventually, uniquePrefix } from '../kit/isolation.js';
import { freePort } from '../kit/ports.js';

const logger = createLogger('service-test', { level: 'warn' });
const bus = new Bus(loadBusConfig(), logger, 'service-test');
const admin = bus.admin();
const prefix = uniquePrefix('svc');
const dir = mkdtempSync(path.join(tmpdir(), 'switchboard-svc-'));
let registry: RegistryServer;
let registryUrl: string;
let crm: ChildProcess;
let crmUrl: string;

beforeAll(async () => {
  await admin.connect();
  await applyTopics(admin, { replicationFactor: 1, minInsyncReplicas: 1, prefix });
  registry = createRegistryServer({ port: 0, host: '127.0.0.1', topic: `${prefix}_schemas`, logger });
  registryUrl = await registry.start();
  const port = await freePort();
  crmUrl = `http://127.0.0.1:${port}`;
  crm = spawn(process.execPath, ['bin/switchboard.js', 'service', 'crm'], {
    env: { ...process.env, CRM_PORT: String(port), CRM_DB_PATH: path.join(dir, 'crm.db'), SCHEMA_REGISTRY_URL: registryUrl, SWITCHBOARD_TOPIC_PREFIX: prefix, LOG_LEVEL: 'warn', ...kitCredentials().env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await eventually(async () => ((await fetch(`${crmUrl}/readyz`).catch(() => undefined))?.ok ? true : undefined), 30000, 'the CRM to answer');
});

afterAll(async () => {
  if (crm.exitCode === null) {
    const exited = new Promise((resolve) => crm.once('exit', resolve));
    crm.kill('SIGTERM');
    await exited;
  }
  await registry.stop();
  await admin.delete([...DOMAIN_TOPICS.map((spec) => topicName(spec, prefix)), `${prefix}_schemas`]);
  await admin.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('switchboard service crm', () => {
  it('publishes CustomerCreated for a new customer, readable by a Confluent client', async () => {
    const response = await fetch(`${crmUrl}/customers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: kitCredentials().operatorAuthorization },
      body: JSON.stringify({
        name: 'Nordlicht Möbel GmbH',
        email: 'einkauf@nordlicht.example',
        segment: 'SMB',
        billingAddress: { line1: 'Hafenstraße 12', city: 'Hamburg', postalCode: '20457', country: 'DE' },
      }),
    });
    expect(response.status).toBe(201);
    const customer = (await response.json()) as { id: string };

    const received: ConsumedRecord[] = [];
    const consumer = bus.consumer({ groupId: `${prefix}reader`, topics: [topicName(topicSpec('crm', 'customer'), prefix)], fromBeginning: true, logger, handle: async (record) => void received.push(record) });
    await consumer.start();
    try {
      await eventually(() => (received.length > 0 ? true : undefined), 30000, 'CustomerCreated on the topic');
    } finally {
      await consumer.stop();
    }

    expect(received).toHaveLength(1);
    const [record] = received;
    expect(record.key!.toString()).toBe(customer.id);
    expect(record.headers).toMatchObject({ ce_specversion: '1.0', ce_source: 'crm', ce_type: 'crm.customer.CustomerCreated', correlation_id: customer.id });
    expect(record.headers.ce_id).toMatch(/^[0-9a-f-]{36}$/);

    const confluent = new SchemaRegistry({ host: registryUrl }, { forSchemaOptions: { logicalTypes: { decimal: DecimalType } } });
    const value = (await confluent.decode(record.value!)) as { customerId: string; name: string; segment: string; billingAddress: { city: string } };
    expect(value).toMatchObject({ customerId: customer.id, name: 'Nordlicht Möbel GmbH', segment: 'SMB', billingAddress: { city: 'Hamburg' } });
  });
});
