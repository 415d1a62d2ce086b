import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding the project's package.json: where the data files live (schemas/*.avsc,
 * ops/, docs/, connector YAML files, the console's assets). Found by walking up from this file,
 * so it is the same whether the code runs from the TypeScript sources or from the compiled
 * `dist/` (which has no package.json of its own).
 *
 * @example
 * ```ts
 * join(PROJECT_ROOT, 'schemas', 'crm', 'OrderPlaced.avsc');
 * ```
 */
export const PROJECT_ROOT = findProjectRoot(dirname(fileURLToPath(import.meta.url)));

function findProjectRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}
