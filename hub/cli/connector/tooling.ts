/**
 * What `switchboard connector` needs from the composition root (bin/system-parts.ts), since
 * hub/ never imports the connectors itself: where the repository is, and how to load a
 * TypeScript connector and the conformance table.
 */
export interface ConnectorTooling {
  /** The repository root: `connectors/<name>/`, `connectors/index.ts` and `connectors/conformance-fixtures.ts` are below it. */
  readonly root: string;
  /** Imports a TypeScript connector file (the module, whose default export is the definition). */
  importConnector(file: string): Promise<unknown>;
  /** The connector names of the conformance table (connectors/conformance-fixtures.ts). */
  conformanceNames(): Promise<readonly string[]>;
}
