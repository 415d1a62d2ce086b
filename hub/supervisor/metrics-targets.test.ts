import { metricsTargets } from './metrics-targets.js';
import { systemProcesses } from './system-processes.js';

describe('metricsTargets', () => {
  it('names every process switchboard up starts, on the ports their configuration gives', () => {
    const env = { CRM_PORT: '4001', WORKER_METRICS_PORT: '9500' };
    expect(metricsTargets(systemProcesses(env))).toEqual([
      { job: 'registry', target: '127.0.0.1:8081' },
      { job: 'crm', target: '127.0.0.1:4001' },
      { job: 'erp', target: '127.0.0.1:3002' },
      { job: 'scm', target: '127.0.0.1:3003' },
      { job: 'worker', target: '127.0.0.1:9500' },
      { job: 'console', target: '127.0.0.1:8080' },
    ]);
  });

  it('leaves out the registry when an external one is used, and any process without a URL', () => {
    const jobs = metricsTargets([...systemProcesses({ SCHEMA_REGISTRY_URL: 'http://registry.example:8081' }), { name: 'helper' }]).map((target) => target.job);
    expect(jobs).toEqual(['crm', 'erp', 'scm', 'worker', 'console']);
  });
});
