import fastify from 'fastify';
import { httpTelemetry, requestTraceparent } from './http-telemetry.js';

describe('httpTelemetry', () => {
  it('measures requests by route template and status, serves /metrics, and gives each request a trace context of its own', async () => {
    const app = fastify();
    await app.register(httpTelemetry);
    const seen: (string | null)[] = [];
    app.get('/orders/:id', async (request) => {
      seen.push(requestTraceparent(request));
      return { ok: true };
    });
    await app.ready();
    await app.inject({ method: 'GET', url: '/orders/O-1', headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } });
    await app.inject({ method: 'GET', url: '/orders/O-2' });
    await app.inject({ method: 'GET', url: '/nowhere/at/all' });

    // The request's trace continues with a span id of its own; without a header a trace starts.
    expect(seen[0]).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-(?!b7ad6b7169203331)[0-9a-f]{16}-01$/);
    expect(seen[1]).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toContain('http_server_request_duration_seconds_count{method="GET",route="/orders/:id",status_code="200"} 2');
    expect(metrics.body).toContain('http_server_request_duration_seconds_count{method="GET",route="(unmatched)",status_code="404"} 1');
    // Ids never become labels; scrapes are not counted.
    expect(metrics.body).not.toContain('O-1');
    expect(metrics.body).not.toMatch(/route="\/metrics"/);
    await app.close();
  });
});
