/**
 * Turns one line a child process printed into a short readable line with the child's name
 * in front. pino JSON becomes `LEVEL msg key=value`; anything else passes through.
 */
const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const OMITTED = new Set(['level', 'time', 'pid', 'hostname', 'name', 'msg', 'v']);

export function formatChildLine(name: string, line: string): string {
  const prefix = `[${name}]`.padEnd(12);
  if (!line.startsWith('{')) return `${prefix} ${line}`;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return `${prefix} ${line}`;
  }
  const level = LEVEL_NAMES[Number(entry.level)] ?? String(entry.level ?? '');
  const fields = Object.entries(entry)
    .filter(([key]) => !OMITTED.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return `${prefix} ${level.padEnd(5)} ${String(entry.msg ?? '')}${fields.length ? `  ${fields.join(' ')}` : ''}`;
}
