import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** A JSON Schema kept in a file for editors, built from code (the catalogue, the SDK). */
export interface PublishedSchema {
  readonly file: string;
  /** Writes the file; returns its path. */
  write(): string;
  /** True when the file is missing or differs from what the code builds now. */
  isStale(): boolean;
}

/**
 * A JSON Schema built by `build` and published at `file`, two-space indented with a final newline
 * (how `switchboard connector schema` and `switchboard webhooks schema` write theirs; a unit test
 * of each fails when its file is stale).
 *
 * @example
 * ```ts
 * const published = publishedSchema(CONNECTOR_SCHEMA_FILE, connectorJsonSchema);
 * if (published.isStale()) published.write();
 * ```
 */
export function publishedSchema(file: string, build: () => Record<string, unknown>): PublishedSchema {
  const text = () => `${JSON.stringify(build(), null, 2)}\n`;
  return {
    file,
    write() {
      writeFileSync(file, text());
      return file;
    },
    isStale: () => !existsSync(file) || readFileSync(file, 'utf8') !== text(),
  };
}
