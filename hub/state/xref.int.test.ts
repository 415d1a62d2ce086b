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
  /** What Redis itself holds for one direction (the fast path of the other processes). */
  const inRedis = (kind: string, from: string, to: string, id: string) => redis.hget(`${prefix}switchboard:xref:${kind}:${from}:${to}`, id);
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

  it('survives losing Redis: lookups are answered from the log read into memory, and a rebuild restores Redis', async () => {
    const xref = await open();
    await xref.put('order', { crm: 'O-1', erp: 'SO-1', scm: 'F-1' });
    await flush();
    expect(await inRedis('order', 'crm', 'erp', 'O-1')).toBeNull();
    expect(await xref.get('order', 'crm', 'O-1', 'erp')).toBe('SO-1');
    await xref.rebuild();
    expect(await inRedis('order', 'crm', 'erp', 'O-1')).toBe('SO-1');
    expect(await inRedis('customer', 'erp', 'crm', '100045')).toBe('C-17');

    // A fresh process after Redis lost everything (marker gone) rebuilds on its own.
    await flush();
    const fresh = await open();
    expect(await inRedis('order', 'scm', 'crm', 'F-1')).toBe('O-1');
    expect(await fresh.get('order', 'scm', 'F-1', 'crm')).toBe('O-1');

    // A running instance notices the loss by the marker and rebuilds within its check interval.
    const watching = await open(200);
    await flush();
    await eventually(async () => ((await inRedis('customer', 'crm', 'scm', 'C-17')) === 'K-9' ? true : undefined), 10000, 'automatic rebuild');
    expect(await watching.get('customer', 'crm', 'C-17', 'scm')).toBe('K-9');
  });

  it('answers a link another process wrote from Redis before its own tail has read it', async () => {
    const xref = await open();
    await redis.hset(`${prefix}switchboard:xref:shipment:scm:crm`, 'SH-404', 'O-404');
    expect(await xref.get('shipment', 'scm', 'SH-404', 'crm')).toBe('O-404');
    expect(await xref.get('shipment', 'crm', 'O-404', 'scm')).toBeUndefined();
  });

  it('copies into Redis a link that reached the topic but not Redis (its writer died in between)', async () => {
    const reader = await open();
    const writer = new CompactedLog({ topic: `${prefix}switchboard.xref`, bus, logger });
    await writer.append('product|erp=SKU-1|scm=ITEM-1', JSON.stringify({ kind: 'product', ids: { erp: 'SKU-1', scm: 'ITEM-1' } }));
    await writer.close();
    await eventually(async () => ((await inRedis('product', 'scm', 'erp', 'ITEM-1')) === 'SKU-1' ? true : undefined), 10000, 'copied by the tail');
    expect(await reader.get('product', 'scm', 'ITEM-1', 'erp')).toBe('SKU-1');
  });
});
