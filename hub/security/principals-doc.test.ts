import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONNECTORS } from '../../connectors/index.js';
import { PROJECT_ROOT } from '../config/project-root.js';
import { kafkaPrincipals } from './kafka-principals.js';
import { principalsTable } from './principals-table.js';

describe('docs/security.md', () => {
  it('ends with the table of the principals and ACLs kafkaPrincipals derives (the registered connectors, no prefix, cdc)', () => {
    const doc = readFileSync(join(PROJECT_ROOT, 'docs', 'security.md'), 'utf8');
    expect(doc.endsWith(`${principalsTable(kafkaPrincipals({ connectors: CONNECTORS, prefix: '', cdc: true }))}\n`)).toBe(true);
  });
});
