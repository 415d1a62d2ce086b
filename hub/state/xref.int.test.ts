import { Bus, loadBusConfig, CompactedLog } from '../bus/index.js';
import { createLogger } from '../log/logger.js';
import { uniquePrefix, eventually } from '../../tests/kit/isolation.js';
import { createRedis, loadRedisUrl } from './redis.js';
import { CrossReferences } from './xref.js';

describe('cross-references: Redis fast path, compacted topic as the source of truth', () => {
  const prefix = uniquePrefix('xref');
  const logger = createLogger('xref-test', { level: 'error' });
  const bus = loadBusConfig();
  const redis = createRedis(loadRedisUrl(), logger);
  const instances: CrossReferences[] = [];
  const open = async (checkIntervalMs = 5000) => {
    const xref = new CrossReferences({ redis, bus, logger, namespace: prefix, checkIntervalMs });
    instances.push(xref);
    await xref.start();
    return xref;
  };
  const flush = async () => {
    const keys = await redis.keys(`${prefix}switchboard:xref:*`);
    if (keys.length > 0) await redis.del(...keys);
  };

  afterAll(async () => {
    await Promise.all(instances.map((x) => x.close()));
    await flush();
    const admin = new Bus(bus, logger).admin();
    await admin.connect();
    await admin.delete([`${prefix}switchboard.xref`]).catch(() => undefined);
    await admin.close();
    redis.disconnect();
  });

  it('looks ids up in every direction, also through the third system', async () => {
    const xref = await open();
    await xref.put('customer', { crm: 'C-17', erp: '100045' });
    await xref.put('customer', { crm: 'C-17', scm: 'K-9' });
    expect(await xref.get('customer', 'crm', 'C-17', 'erp')).toBe('100045');
    expect(await xref.get('customer', 'erp', '100045', 'crm')).toBe('C-17');
    expect(await xref.get('customer', 'erp', '100045', 'scm')).toBe('K-9');
    expect(await xref.get('customer', 'crm', 'C-18', 'erp')).toBeUndefined();
    expect(await xref.get('order', 'crm', 'C-17', 'erp')).toBeUndefined();
    expect(await xref.resolve('customer', 'scm', 'K-9')).toEqual({ scm: 'K-9', crm: 'C-17', erp: '100045' });
  });

  it('survives losing Redis: a rebuild from the topic restores every lookup', async () => {
    const xref = await open();
    await xref.put('order', { crm: 'O-1', erp: 'SO-1', scm: 'F-1' });
    await flush();
    expect(await xref.get('order', 'crm', 'O-1', 'erp')).toBeUndefined();
    await xref.rebuild();
    expect(await xref.get('order', 'crm', 'O-1', 'erp')).toBe('SO-1');
    expect(await xref.get('customer', 'erp', '100045', 'crm')).toBe('C-17');

    // A fresh process after Redis lost everything (marker gone) rebuilds on its own.
    await flush();
    const fresh = await open();
    expect(await fresh.get('order', 'scm', 'F-1', 'crm')).toBe('O-1');

    // A running instance notices the loss by the marker and rebuilds within its check interval.
    const watching = await open(200);
    await flush();
    await eventually(async () => ((await watching.get('customer', 'crm', 'C-17', 'scm')) === 'K-9' ? true : undefined), 10000, 'automatic rebuild');
  });

  it('copies into Redis a link that reached the topic but not Redis (its writer died in between)', async () => {
    const reader = await open();
    const writer = new CompactedLog({ topic: `${prefix}switchboard.xref`, bus, logger });
    await writer.append('product|erp=SKU-1|scm=ITEM-1', JSON.stringify({ kind: 'product', ids: { erp: 'SKU-1', scm: 'ITEM-1' } }));
    await writer.close();
    await eventually(async () => ((await reader.get('product', 'scm', 'ITEM-1', 'erp')) === 'SKU-1' ? true : undefined), 10000, 'copied by the tail');
  });
});
