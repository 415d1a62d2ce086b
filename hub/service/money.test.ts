import { MAX_AMOUNT_MINOR, checkedMinor, fromMinor, money, toMinor } from './money.js';

describe('money', () => {
  it.each([['12.50', 1250], ['12.5', 1250], ['0', 0], ['0.01', 1], ['-3.07', -307], ['999999999999.99', 99999999999999]])('%s ↔ %d minor units', (text, minor) => {
    expect(toMinor(text)).toBe(minor);
  });

  it('formats with exactly two decimals, without float error', () => {
    expect(fromMinor(1250)).toBe('12.50');
    expect(fromMinor(-5)).toBe('-0.05');
    expect(money(10 + 20, 'EUR')).toEqual({ amount: '0.30', currency: 'EUR' });
    expect(fromMinor(toMinor('0.1') + toMinor('0.2'))).toBe('0.30');
  });

  it('refuses what is not a two-decimal amount', () => {
    for (const bad of ['1.005', '1e3', 'abc', '', '1.', '.5']) {
      expect(() => toMinor(bad, 'unitPrice.amount')).toThrow(expect.objectContaining({ code: 'SWB_ERR_MONEY_INVALID_AMOUNT', field: 'unitPrice.amount' }));
    }
    expect(() => fromMinor(1.5)).toThrow(RangeError);
  });

  it('holds amounts up to 9999999999999.99 exactly and refuses computed ones beyond with a 422', () => {
    expect(toMinor('9999999999999.99')).toBe(MAX_AMOUNT_MINOR);
    expect(fromMinor(MAX_AMOUNT_MINOR)).toBe('9999999999999.99');
    expect(() => toMinor('99999999999999.99', 'unitPrice.amount')).toThrow(expect.objectContaining({ code: 'SWB_ERR_MONEY_INVALID_AMOUNT', statusCode: 400 }));
    expect(checkedMinor(MAX_AMOUNT_MINOR, 'x')).toBe(MAX_AMOUNT_MINOR);
    expect(() => checkedMinor(MAX_AMOUNT_MINOR + 1, 'the order total')).toThrow(expect.objectContaining({ code: 'SWB_ERR_MONEY_OUT_OF_RANGE', statusCode: 422, message: expect.stringContaining('the order total would be larger') }));
    expect(() => checkedMinor(2 ** 60, 'x')).toThrow(expect.objectContaining({ statusCode: 422 }));
  });
});
