import { Writable } from 'node:stream';
import { createLogger } from './logger.js';
import { maskPersonalValues, personalValues } from './personal-data.js';

describe('personal data', () => {
  it('is redacted from log lines wherever the known fields appear, secrets too', () => {
    const lines: string[] = [];
    const logger = createLogger('test', { level: 'debug' }, new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } }));
    logger.info({
      email: 'a@b.example', customer: { name: 'Ada Lovelace', phone: '+44 1', billingAddress: { line1: '1 Road' } },
      sasl: { password: 'pw' }, headers: { authorization: 'Bearer swb_x' }, body: { name: 'Ada' }, connector: 'crm-order-to-erp',
    }, 'x');
    const line = lines.join('');
    for (const secret of ['a@b.example', 'Ada', '+44 1', '1 Road', '"pw"', 'swb_x']) expect(line).not.toContain(secret);
    expect(JSON.parse(line)).toMatchObject({ name: 'test', connector: 'crm-order-to-erp', email: '[redacted]' });
  });

  it('collects the values of personal fields at any depth and masks their echoes', () => {
    const sent = { customerId: 'C-1', name: 'Ada Lovelace', shipTo: { line1: '12 Analytical Row', city: 'London', country: 'GB' } };
    expect(personalValues(sent).sort()).toEqual(['12 Analytical Row', 'Ada Lovelace', 'GB', 'London'].sort());
    const masked = maskPersonalValues('LOVELACE at 12 analytical row, London (ada@x.example) for C-1', sent);
    expect(masked).toBe('[redacted] at [redacted], [redacted] ([redacted]) for C-1');
  });
});
