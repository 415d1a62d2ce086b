/**
 * A local HTTP target that answers every request 200 at once (keep-alive), in a process of its
 * own, as a real target is: the connector under test does not share its event loop (and core)
 * with the answers. `GET /__count` tells how many requests it answered (that one not counted).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

const SERVER = `
const http = require('node:http');
let requests = 0;
const server = http.createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    if (request.url === '/__count') {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end(String(requests));
      return;
    }
    requests++;
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
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
