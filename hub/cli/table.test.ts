import { exitCodeOf, exitCodeOfStatus } from './exit-codes.js';
import { renderFields, renderTable } from './table.js';

describe('CLI output', () => {
  it('pads columns, prints - for nothing, cuts long cells and says (none) for an empty table', () => {
    expect(renderTable(['NAME', 'LAG', 'ERROR'], [['crm-order-to-erp', 3, null], ['x', 12, 'a'.repeat(70)]], 20)).toBe(
      'NAME              LAG  ERROR\n' +
      'crm-order-to-erp  3    -\n' +
      `x                 12   ${'a'.repeat(19)}…\n`,
    );
    expect(renderTable(['A'], [])).toBe('(none)\n');
    expect(renderFields([['status', 'OK'], ['last error', undefined]])).toBe('status:     OK\nlast error: -\n');
  });

  it('exits 3 for not found, 4 for not allowed, 1 for other failures', () => {
    expect([200, 404, 401, 403, 400, 409, 500].map(exitCodeOfStatus)).toEqual([0, 3, 4, 4, 1, 1, 1]);
    expect(exitCodeOf(Object.assign(new Error('x'), { exitCode: 3 }))).toBe(3);
    expect(exitCodeOf(new Error('x'))).toBe(1);
  });
});
