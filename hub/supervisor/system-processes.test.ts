import { join } from 'node:path';
import { PROJECT_ROOT } from '../config/project-root.js';
import { systemProcesses } from './system-processes.js';

const names = (env: NodeJS.ProcessEnv) => systemProcesses(env).map((process) => process.name);

describe('the processes of switchboard up', () => {
  it('are the registry, the three systems, the worker and the console when no adapter is configured', () => {
    expect(names({})).toEqual(['registry', 'crm', 'erp', 'scm', 'worker', 'console']);
  });

  it('add switchboard cdc when CDC_DATABASE_URL is set, and switchboard webhooks when WEBHOOKS_DIR holds a source file', () => {
    const env = { CDC_DATABASE_URL: 'postgres://switchboard:switchboard@127.0.0.1:5432/warehouse', WEBHOOKS_DIR: join(PROJECT_ROOT, 'tests', 'fixtures', 'webhooks') };
    expect(names(env)).toEqual(['registry', 'crm', 'erp', 'scm', 'cdc', 'webhooks', 'worker', 'console']);
    expect(systemProcesses(env).find((process) => process.name === 'webhooks')?.url).toBe('http://127.0.0.1:3010');
  });
});
