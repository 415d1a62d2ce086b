import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prometheusConfig, writePrometheusTargets } from './prometheus-config.js';

describe('prometheusConfig', () => {
  const yaml = prometheusConfig({ targetsDir: '/s/prometheus/targets', ruleFiles: ['/repo/ops/prometheus/*.rules.yml'], listenAddress: '127.0.0.1:19090' });

  it('scrapes and evaluates every 2 s', () => {
    expect(yaml).toContain('global:\n  scrape_interval: 2s\n  scrape_timeout: 2s\n  evaluation_interval: 2s\n');
  });

  it('loads the repository rule files and discovers targets from the targets folder', () => {
    expect(yaml).toContain('rule_files:\n  - "/repo/ops/prometheus/*.rules.yml"\n');
    expect(yaml).toContain('  - job_name: switchboard\n    file_sd_configs:\n      - files:\n          - "/s/prometheus/targets/*.json"\n');
  });

  it('scrapes Prometheus itself on its listen address', () => {
    expect(yaml).toContain('  - job_name: prometheus\n    static_configs:\n      - targets: ["127.0.0.1:19090"]\n');
  });

  it('quotes paths so that spaces and YAML characters survive', () => {
    expect(prometheusConfig({ targetsDir: '/a b/#t', ruleFiles: ['/x: y/*.rules.yml'], listenAddress: '127.0.0.1:9090' })).toContain('"/a b/#t/*.json"');
  });
});

describe('writePrometheusTargets', () => {
  it('writes one file_sd group per job with the job label, replacing it whole', () => {
    const root = mkdtempSync(join(tmpdir(), 'swb-prom-'));
    const dir = join(root, 'targets');
    const file = writePrometheusTargets(dir, 'crm', ['127.0.0.1:3001'], { system: 'crm' });
    expect(file).toBe(join(dir, 'crm.json'));
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual([{ targets: ['127.0.0.1:3001'], labels: { job: 'crm', system: 'crm' } }]);
    writePrometheusTargets(dir, 'crm', []);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual([]);
    expect(readdirSync(dir)).toEqual(['crm.json']); // no temporary file left behind
    rmSync(root, { recursive: true, force: true });
  });

  it('refuses a job name that is not a plain file name', () => {
    expect(() => writePrometheusTargets('/tmp', '../evil', [])).toThrow(TypeError);
  });
});
