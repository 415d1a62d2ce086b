import type { ErrorObject } from 'ajv';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';

/** A place in a connector file: 1-based line and column. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Where a scalar's text starts, and how far its following lines are indented in the file (a block scalar's indentation). */
export interface TextStart extends Position {
  readonly indent: number;
}

/** A path into the document, e.g. `['mapping', 0, 'actions', 1, 'http', 'path']`. */
export type DocumentPath = readonly (string | number)[];

/** One problem of a connector file, with where it is. */
export interface Problem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** e.g. `mapping[0].actions[1].http.path`; empty for the whole document. */
  readonly path: string;
  readonly message: string;
}

/** `file:line:column path: message`, the form editors and terminals link to. */
export function formatProblem(problem: Problem): string {
  return `${problem.file}:${problem.line}:${problem.column} ${problem.path ? `${problem.path}: ` : ''}${problem.message}`;
}

/** `mapping[0].actions[1].http.path` for `['mapping', 0, 'actions', 1, 'http', 'path']`. */
export function pathText(path: DocumentPath): string {
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`)).join('');
}

/**
 * A parsed YAML connector file that still knows where everything is: the `yaml` package's
 * Document keeps each node's source range, so a problem found in the data (by JSON Schema or by
 * the loader's own checks) is reported with the line it came from.
 */
export class SourceFile {
  readonly data: unknown;
  readonly syntaxProblems: readonly Problem[];
  private readonly document: Document.Parsed;
  private readonly lines = new LineCounter();

  constructor(readonly file: string, private readonly text: string) {
    this.document = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
    this.syntaxProblems = [...this.document.errors, ...this.document.warnings].map((error) => {
      const { line, col } = this.lines.linePos(error.pos[0]);
      return { file, line, column: col, path: '', message: error.message.split('\n')[0] as string };
    });
    this.data = this.syntaxProblems.length === 0 ? this.document.toJS({ maxAliasCount: 100 }) : undefined;
  }

  /** A problem at `path`: at its key when `atKey` (e.g. an unknown property), else at its value; a missing node is reported at its nearest parent. */
  problem(path: DocumentPath, message: string, atKey = false): Problem {
    const { line, column } = this.positionOf(path, atKey);
    return { file: this.file, line, column, path: pathText(path), message };
  }

  /**
   * Where the text of the scalar at `path` starts: its first content line for a block scalar
   * (`|` or `>`), else the scalar itself. Used to place an error inside a JSONata expression.
   */
  textStart(path: DocumentPath): TextStart {
    const node = this.nodeAt(path);
    if (!node?.range) return { line: 1, column: 1, indent: 0 };
    const at = this.lines.linePos(node.range[0]);
    if (!(isScalar(node) && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED'))) return { line: at.line, column: at.col, indent: 0 };
    // The content starts on the next line, indented like all its lines.
    const next = this.lines.lineStarts[at.line] ?? node.range[0];
    const indent = /^ */.exec(this.text.slice(next))?.[0].length ?? 0;
    return { line: at.line + 1, column: indent + 1, indent };
  }

  private positionOf(path: DocumentPath, atKey: boolean): Position {
    let node: Node | null | undefined = this.document.contents;
    let found: { range?: [number, number, number] | null } | null | undefined = node;
    for (const part of path) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && item.key.value === part);
        if (!pair) break;
        found = atKey && part === path[path.length - 1] ? (pair.key as Node) : ((pair.value as Node | null) ?? (pair.key as Node));
        node = pair.value as Node | null;
      } else if (isSeq(node) && typeof part === 'number') {
        const item = node.items[part] as Node | undefined;
        if (!item) break;
        found = item;
        node = item;
      } else {
        break;
      }
    }
    const offset = found?.range?.[0] ?? 0;
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  private nodeAt(path: DocumentPath): Node | undefined {
    const node = this.document.getIn(path, true);
    return node && typeof node === 'object' && 'range' in node ? (node as Node) : undefined;
  }
}

/** JSON Schema (ajv) errors of a file's data as problems at the lines they are about, each message once per line. */
export function schemaProblems(source: SourceFile, errors: readonly ErrorObject[]): Problem[] {
  const problems = errors.map((error) => {
    const path: (string | number)[] = error.instancePath
      .split('/')
      .slice(1)
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
    const params = error.params as { additionalProperty?: string; allowedValues?: unknown[]; missingProperty?: string };
    if (params.additionalProperty !== undefined) return source.problem([...path, params.additionalProperty], `unknown property ${JSON.stringify(params.additionalProperty)}`, true);
    if (params.allowedValues) return source.problem(path, `must be one of ${params.allowedValues.map((value) => JSON.stringify(value)).join(', ')}`);
    if (error.keyword === 'propertyNames') return source.problem(path, `names must look like identifiers (letters, digits, _)`);
    return source.problem(path, error.message ?? 'is invalid');
  });
  // `propertyNames` reports twice (the name, then its pattern); keep each line's message once.
  return problems.filter((problem, index) => problems.findIndex((other) => formatProblem(other) === formatProblem(problem)) === index);
}
