import { Expression, ExpressionSyntaxError, positionIn, type Bindings, type ExpressionOrigin } from './expression.js';

/**
 * Text with `{JSONata}` placeholders, as a connector file writes paths, header values and
 * refusal messages: `/items/{value.sku}`. Each placeholder is compiled once at load; braces
 * inside a placeholder (object constructors, blocks) and inside its quoted strings nest.
 *
 * @example
 * ```ts
 * const path = new Template('/shipments/{$shipmentId}/cancel', origin);
 * await path.render(input, { shipmentId: 'SH 1' }, encodeURIComponent); // '/shipments/SH%201/cancel'
 * ```
 */
export class Template {
  private readonly parts: readonly (string | Expression)[];

  /** Throws ExpressionSyntaxError for a placeholder that does not parse or is not closed. */
  constructor(readonly source: string, origin: ExpressionOrigin) {
    const parts: (string | Expression)[] = [];
    let literal = '';
    for (let i = 0; i < source.length; i++) {
      if (source[i] !== '{') {
        literal += source[i];
        continue;
      }
      const end = closingBrace(source, i);
      const text = source.slice(i + 1, end);
      if (end >= source.length) throw new ExpressionSyntaxError(`placeholder "{" without its "}" in ${JSON.stringify(source)}`, positionIn(source, i + 1, origin.start));
      if (text.trim() === '') throw new ExpressionSyntaxError(`empty placeholder "{}" in ${JSON.stringify(source)}`, positionIn(source, i + 1, origin.start));
      if (literal) parts.push(literal);
      literal = '';
      parts.push(new Expression(text, { ...origin, start: positionIn(source, i + 2, origin.start) }));
      i = end;
    }
    if (literal) parts.push(literal);
    this.parts = parts;
  }

  /** The text with each placeholder's value (passed through `encode`, e.g. encodeURIComponent for a path). */
  async render(input: unknown, bindings: Bindings, encode: (text: string) => string = (text) => text): Promise<string> {
    let out = '';
    for (const part of this.parts) {
      if (typeof part === 'string') {
        out += part;
        continue;
      }
      const value = await part.evaluate(input, bindings);
      if (value === undefined || value === null || typeof value === 'object' || typeof value === 'function') {
        part.fail(`placeholder {${part.source}} gave ${value === undefined ? 'nothing' : JSON.stringify(value)}, not a string or number`);
      }
      out += encode(String(value));
    }
    return out;
  }
}

/** The index of the `}` that closes the `{` at `open`, skipping nested braces and quoted strings; `text.length` when there is none. */
function closingBrace(text: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < text.length; i++) {
    const c = text[i] as string;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'" || c === '`') {
      quote = c;
    } else if (c === '{') {
      depth++;
    } else if (c === '}' && --depth === 0) {
      return i;
    }
  }
  return text.length;
}
