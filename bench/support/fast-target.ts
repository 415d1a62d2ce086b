/**
 * A local HTTP target that answers every request 200 at once (keep-alive), in a process of its
 * own, as a real target is: the connector under test does not share its event loop (and core)
 * with the answers. `GET /__count` tells how many requests it answered (that one not counted).
 * A body whose `name` is `t<epoch ms>` (a benchmark stamped the event when it sent it) adds
 * now minus that to the latencies `GET /__latency` reports (p50, p99, count) and then forgets.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

const SERVER = `
const http = require('node:http');
let requests = 0;
let latencies = [];
const server = http.createServer((request, response) => {
  let body = '';
  request.setEncoding('utf8');
  request.on('data', (chunk) => { body += chunk; });
  request.on('end', () => {
    if (request.url === '/__count') {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end(String(requests));
      return;
    }
    if (request.url === '/__latency') {
      const sorted = latencies.sort((a, b) => a - b);
      const at = (p) => sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)] : null;
      latencies = [];
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ count: sorted.length, p50: at(50), p99: at(99) }));
      return;
    }
    requests++;
    const stamp = /"name":"t([0-9]+)"/.exec(body);
    if (stamp) latencies.push(Date.now() - Number(stamp[1]));
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{"ok":true}');
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
`;

/** The running target: its base URL, its request count, and how to stop it. */
export interface FastTarget {
  readonly url: string;
  readonly pid: number;
  requests(): Promise<number>;
  /** Latencies of stamped requests since the last call: count, p50 and p99 in ms (null without any). */
  latency(): Promise<{ count: number; p50: number | null; p99: number | null }>;
  stop(): Promise<void>;
}

/** Starts the target process and resolves once it listens. */
export async function startFastTarget(): Promise<FastTarget> {
  const child: ChildProcess = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
  const url = `http://127.0.0.1:${Number(chunk.toString().trim())}`;
  return {
    url,
    pid: child.pid as number,
    requests: async () => Number(await (await fetch(`${url}/__count`)).text()),
    latency: async () => (await (await fetch(`${url}/__latency`)).json()) as { count: number; p50: number | null; p99: number | null },
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
