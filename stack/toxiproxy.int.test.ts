import { createServer, request, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRunning } from './processes.js';
import { ToxiproxyClient } from './toxiproxy-client.js';
import { ensureToxiproxy, startToxiproxy, stopToxiproxy, toxiproxyStatus, TOXIPROXY_VERSION } from './toxiproxy.js';
import { freePort } from '../tests/kit/ports.js';

/**
 * One GET through the proxy (a fresh connection each time): its body and duration, or the
 * socket error. `keepAlive` asks the server to keep the connection open after answering.
 */
function get(port: number, keepAlive = false): Promise<{ ok: true; body: string; ms: number } | { ok: false; code: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const headers = keepAlive ? { connection: 'keep-alive' } : {};
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false, headers, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ ok: true, body, ms: Date.now() - started }));
      res.on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, code: error.code ?? error.message, ms: Date.now() - started }));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, code: error.code ?? error.message, ms: Date.now() - started }));
    req.end();
  });
}

describe('Toxiproxy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'swb-toxiproxy-int-'));
  let upstream: Server | undefined;

  beforeAll(() => {
    // The first run builds it with Go (about 2 minutes on two cores); later runs reuse the binary.
    ensureToxiproxy((line) => process.stderr.write(`${line}\n`));
  }, 600_000);

  afterAll(async () => {
    await stopToxiproxy(dir);
    await new Promise((resolve) => (upstream ? upstream.close(resolve) : resolve(undefined)));
    rmSync(dir, { recursive: true, force: true });
  });

  it('proxies a local HTTP server, delays it with latency, breaks it with reset_peer and timeout, and heals', async () => {
    upstream = createServer((_req, res) => res.end('hello'));
    await new Promise<void>((resolve) => upstream?.listen(0, '127.0.0.1', resolve));
    const upstreamPort = (upstream.address() as { port: number }).port;

    const apiPort = await freePort();
    const server = await startToxiproxy({ dir, port: apiPort });
    expect(server.action).toBe('started');
    expect((await toxiproxyStatus({ dir, port: apiPort })).answering).toBe(true);
    const toxi = new ToxiproxyClient(server.url);
    expect(`v${await toxi.version()}`).toBe(TOXIPROXY_VERSION);

    const listenPort = await freePort();
    const proxy = await toxi.createProxy({ name: 'web', listen: `127.0.0.1:${listenPort}`, upstream: `127.0.0.1:${upstreamPort}` });
    expect(proxy).toMatchObject({ name: 'web', enabled: true, upstream: `127.0.0.1:${upstreamPort}` });
    await expect(toxi.createProxy({ name: 'web', listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstreamPort}` })).rejects.toMatchObject({ code: 'SWB_ERR_STACK_TOXIPROXY', status: 409 });

    const clean = await get(listenPort);
    expect(clean).toMatchObject({ ok: true, body: 'hello' });

    await toxi.addToxic('web', { name: 'slow', type: 'latency', attributes: { latency: 700 } });
    const slow = await get(listenPort);
    expect(slow).toMatchObject({ ok: true, body: 'hello' });
    expect(slow.ms).toBeGreaterThanOrEqual(650);
    await toxi.removeToxic('web', 'slow');

    // timeout: data stops, and Toxiproxy closes the connection 400 ms later (sooner when the
    // server closes its side, so the server is asked to keep the connection open).
    await toxi.addToxic('web', { name: 'stall', type: 'timeout', attributes: { timeout: 400 } });
    const stalled = await get(listenPort, true);
    expect(stalled).toMatchObject({ ok: false, code: 'ECONNRESET' });
    expect(stalled.ms).toBeGreaterThanOrEqual(350);
    await toxi.removeToxic('web', 'stall');

    await toxi.addToxic('web', { name: 'reset', type: 'reset_peer', attributes: { timeout: 0 } });
    const reset = await get(listenPort);
    expect(reset).toMatchObject({ ok: false });
    expect(['ECONNRESET', 'EPIPE', 'ECONNREFUSED']).toContain((reset as { code: string }).code);
    await toxi.removeToxic('web', 'reset');

    const healed = await get(listenPort);
    expect(healed).toMatchObject({ ok: true, body: 'hello' });
    expect(healed.ms).toBeLessThan(650);

    await toxi.deleteProxy('web');
    expect(await toxi.proxies()).toEqual({});
    const pid = server.pid ?? 0;
    expect(await stopToxiproxy(dir)).toBe(pid);
    expect(isRunning(pid)).toBe(false);
  }, 120_000);
});
