import jsonata from 'jsonata';
import { Expression, holds, plain } from './expression.js';

const origin = { file: 'test.yaml', path: 'body', start: { line: 1, column: 1, indent: 0 } };

describe('Expression', () => {
  const input = {
    type: 'switchboard.crm.OrderPlaced', key: 'O-1',
    value: { orderId: 'O-1', note: null, total: 12, lines: [{ sku: 'A', quantity: 1 }, { sku: 'B', quantity: 2 }], shipTo: { city: 'Bremen' }, one: [{ sku: 'C' }] },
  };
  const bindings = { id: 'SH 1', list: [1, 2], fn: () => 1 };

  it.each([
    'value.orderId', 'value.note', 'value.note.x', 'value.missing.x', 'value.shipTo', 'value.lines', 'value.lines.sku', 'value.one.sku', 'key', "'text'", '12', 'true', 'null',
    '$id', '$list', '$nothing', "{ 'orderId': value.orderId, 'city': value.shipTo.city, 'none': value.missing }", "{ 'skus': value.lines.sku }", "{ 'n': $list }", "{ 'a': { 'b': key } }",
  ])('gives what JSONata gives for %s (simple expressions skip its evaluator)', async (source) => {
    const expected = plain(await jsonata(source).evaluate(input, bindings));
    expect(plain(await new Expression(source, origin).evaluate(input, bindings))).toEqual(expected);
  });

  it('leaves a key given twice to JSONata, which refuses it', async () => {
    await expect(new Expression("{ 'a': 1, 'a': 2 }", origin).evaluate(input, {})).rejects.toMatchObject({ code: 'SWB_ERR_RUNTIME_MAPPING_BUG', message: expect.stringContaining('D1009') });
  });

  it("holds as JSONata's $boolean does", async () => {
    for (const value of [undefined, null, false, 0, '', [], {}, [0, false], () => 1]) expect(holds(value)).toBe(false);
    for (const value of [true, 1, 'x', [0, 1], { a: 1 }]) expect(holds(value)).toBe(true);
  });
});
