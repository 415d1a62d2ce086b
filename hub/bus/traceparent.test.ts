import { childTraceparent, formatTraceparent, parseTraceparent } from './traceparent.js';

describe('traceparent', () => {
  const parent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

  it('parses and formats a W3C traceparent', () => {
    const context = parseTraceparent(parent);
    expect(context).toEqual({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', sampled: true });
    expect(formatTraceparent(context!)).toBe(parent);
  });

  it.each(['', 'garbage', '01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', `00-${'0'.repeat(32)}-b7ad6b7169203331-01`, `00-0af7651916cd43dd8448eb211c80319c-${'0'.repeat(16)}-01`])(
    'treats %j as no trace',
    (value) => expect(parseTraceparent(value)).toBeUndefined(),
  );

  it('keeps the trace id and makes a new span id for a child', () => {
    const child = parseTraceparent(childTraceparent(parent))!;
    expect(child.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(child.spanId).not.toBe('b7ad6b7169203331');
  });

  it('starts a new trace when there is no parent', () => {
    const a = parseTraceparent(childTraceparent())!;
    const b = parseTraceparent(childTraceparent())!;
    expect(a.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(a.traceId).not.toBe(b.traceId);
  });
});
