import { createServer, type Server } from 'node:http';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './probes.js';
import { isRunning, stopTarget } from './processes.js';
import { prometheusFiles, prometheusStopTarget, promtoolCheckRules, startPrometheus, writePrometheusTargets } from './prometheus.js';
import { REPO_ROOT } from './stack-settings.js';
import { freePort } from '../tests/kit/ports.js';

interface TargetsAnswer {
  data: { activeTargets: { labels: Record<string, string>; health: string; scrapeUrl: string; lastError: string }[] };
}

describe('local Prometheus', () => {
  const dir = mkdtempSync(join(tmpdir(), 'swb-prometheus-int-'));
  let metrics: Server | undefined;

  afterAll(async () => {
    await stopTarget(prometheusStopTarget(dir));
    await new Promise((resolve) => (metrics ? metrics.close(resolve) : resolve(undefined)));
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts the repository rule files (promtool check rules)', () => {
    const files = readdirSync(join(REPO_ROOT, 'ops', 'prometheus')).filter((name) => name.endsWith('.rules.yml')).map((name) => join(REPO_ROOT, 'ops', 'prometheus', name));
    expect(files.length).toBeGreaterThan(0);
    const result = promtoolCheckRules(files);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
  });

  it('tells a broken rule file apart', () => {
    const broken = join(dir, 'broken.rules.yml');
    writeFileSync(broken, 'groups:\n  - name: x\n    rules:\n      - alert: Bad\n        expr: up ==\n');
    const result = promtoolCheckRules([broken]);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/FAILED|error/i);
  });

  it('scrapes a target announced by a target file, without a restart', async () => {
    let scrapes = 0;
    metrics = createServer((request, response) => {
      if (request.url !== '/metrics') {
        response.writeHead(404).end();
        return;
      }
      scrapes += 1;
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      response.end(`# HELP swb_test_scrapes_total Scrapes served.\n# TYPE swb_test_scrapes_total counter\nswb_test_scrapes_total ${scrapes}\n`);
    });
    await new Promise<void>((resolve) => metrics?.listen(0, '127.0.0.1', resolve));
    const metricsPort = (metrics.address() as { port: number }).port;

    const port = await freePort();
    const prometheus = await startPrometheus({ dir, port }, () => undefined, []);
    expect(prometheus).toMatchObject({ action: 'started', url: `http://127.0.0.1:${port}` });
    expect(isRunning(prometheus.pid ?? 0)).toBe(true);

    // Announced after start: file-based discovery picks it up while Prometheus runs.
    writePrometheusTargets(prometheusFiles(dir).targetsDir, 'swb-test', [`127.0.0.1:${metricsPort}`], { system: 'test' });
    let target: TargetsAnswer['data']['activeTargets'][number] | undefined;
    const up = await waitFor(
      async () => {
        const answer = (await (await fetch(`${prometheus.url}/api/v1/targets?state=active`)).json()) as TargetsAnswer;
        target = answer.data.activeTargets.find((candidate) => candidate.labels.job === 'swb-test');
        return target?.health === 'up';
      },
      { timeoutMs: 45_000, intervalMs: 500 },
    );
    expect(target).toMatchObject({ health: 'up', scrapeUrl: `http://127.0.0.1:${metricsPort}/metrics`, labels: { system: 'test', job: 'swb-test' } });
    expect(up).toBe(true);
    expect(scrapes).toBeGreaterThan(0);

    // The repository's rules are loaded.
    const rules = (await (await fetch(`${prometheus.url}/api/v1/rules`)).json()) as { data: { groups: { rules: { name: string }[] }[] } };
    expect(rules.data.groups.flatMap((group) => group.rules.map((rule) => rule.name))).toContain('SwitchboardTargetDown');

    const stopped = await stopTarget(prometheusStopTarget(dir));
    expect(stopped).toMatchObject({ what: 'prometheus', pid: prometheus.pid, how: 'terminated' });
    expect(isRunning(prometheus.pid ?? 0)).toBe(false);
  }, 120_000);
});
