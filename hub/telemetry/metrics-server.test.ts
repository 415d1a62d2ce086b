import { Counter } from 'prom-client';
import { metricsRegistry } from './metrics-registry.js';
import { startMetricsServer } from './metrics-server.js';

describe('startMetricsServer', () => {
  it('serves /metrics in the Prometheus text format and /healthz, and refuses a port in use', async () => {
    const counter = new Counter({ name: 'swb_test_things_total', help: 'Things.', labelNames: ['kind'], registers: [metricsRegistry] });
    counter.inc({ kind: 'a' }, 3);
    const server = await startMetricsServer({ host: '127.0.0.1', port: 0, name: 'worker', health: () => ({ connectors: { x: 'running' } }) });
    try {
      const metrics = await fetch(`${server.url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await metrics.text();
      expect(text).toContain('swb_test_things_total{kind="a"} 3');
      expect(text).toContain('process_resident_memory_bytes');
      expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok', process: 'worker', connectors: { x: 'running' } });
      expect((await fetch(`${server.url}/other`)).status).toBe(404);
      await expect(startMetricsServer({ host: '127.0.0.1', port: server.port, name: 'worker' })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      await server.close();
    }
  });
});
