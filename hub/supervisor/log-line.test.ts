import { formatChildLine } from './log-line.js';

describe('formatChildLine', () => {
  it('makes a pino JSON line readable and keeps its context fields', () => {
    const line = JSON.stringify({ level: 40, time: 1, pid: 7, name: 'erp', msg: 'retrying', connector: 'crm-order-to-erp', attempt: 2 });
    expect(formatChildLine('worker', line)).toBe('[worker]     WARN  retrying  connector=crm-order-to-erp attempt=2');
  });

  it('passes other lines through with the prefix', () => {
    expect(formatChildLine('registry', 'listening on 8081')).toBe('[registry]   listening on 8081');
    expect(formatChildLine('registry', '{not json')).toBe('[registry]   {not json');
  });
});
