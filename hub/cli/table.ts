/** A cell value as the CLI prints it. */
export type Cell = string | number | boolean | null | undefined;

/**
 * A plain-text table: a header row, then one row per item, columns padded to their widest
 * cell; long cells are cut at `maxWidth` with `…`. Empty tables print `(none)`.
 *
 * @example
 * ```ts
 * renderTable(['CONNECTOR', 'LAG'], [['crm-order-to-erp', 3]]);
 * // CONNECTOR         LAG
 * // crm-order-to-erp  3
 * ```
 */
export function renderTable(headers: readonly string[], rows: readonly (readonly Cell[])[], maxWidth = 60): string {
  if (rows.length === 0) return '(none)\n';
  const text = (cell: Cell) => {
    const value = cell === null || cell === undefined ? '-' : String(cell).replace(/\s+/g, ' ');
    return value.length > maxWidth ? `${value.slice(0, maxWidth - 1)}…` : value;
  };
  const cells = [headers.map(String), ...rows.map((row) => headers.map((_, i) => text(row[i])))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  return `${cells.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd()).join('\n')}\n`;
}

/** `key: value` lines, keys aligned. */
export function renderFields(fields: readonly (readonly [string, Cell])[]): string {
  const width = Math.max(...fields.map(([key]) => key.length));
  return fields.map(([key, value]) => `${`${key}:`.padEnd(width + 2)}${value === null || value === undefined ? '-' : String(value)}`).join('\n') + '\n';
}
