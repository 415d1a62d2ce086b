/** Free local TCP ports for tests that start servers or whole stacks beside the shared one. */
import { createServer } from 'node:net';
import { portAnswers } from '../../stack/probes.js';

/** A port on 127.0.0.1 that nothing listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * A port in [from, from + 200) that is free together with the next one: a Kafka client port whose
 * controller port is free too. The search starts at a random even offset, so test runs of other
 * checkouts on the same machine rarely reach for the same pair at the same moment. `from` must lie
 * below the ephemeral range (32768–60999 on Linux): there an outgoing connection may take the port
 * as its local port between this check and the broker's bind, which no check sees (a secure stack
 * on 39212 failed to bind that way in CI).
 */
export async function freePortPair(from: number): Promise<number> {
  if (from + 201 >= 32768) throw new Error(`freePortPair(${from}): choose a range below 32768, the ephemeral ports`);
  const start = 2 * Math.floor(Math.random() * 100);
  for (let step = 0; step < 200; step += 2) {
    const port = from + ((start + step) % 200);
    if (!(await portAnswers(port)) && !(await portAnswers(port + 1))) return port;
  }
  throw new Error(`no free port pair from ${from}`);
}
