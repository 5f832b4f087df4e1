/**
 * The import graph of one package's `src/`, read with TypeScript's own parser, so the picture in
 * docs/architecture.md is the code's, not a hand-drawn one. Imports that bring only types are
 * kept apart: they tie two modules at compile time only.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export interface SourceGraph {
  /** Node name -> lines of code it holds (a folder is one node: the sum of its files). */
  readonly nodes: Map<string, number>;
  /** `from -> to` between distinct nodes, sorted: a value (run-time) import. */
  readonly edges: string[];
  /** `from -> to` where every import between the two is `import type`: no run-time tie. */
  readonly typeEdges: string[];
}

interface ImportLine {
  readonly specifier: string;
  readonly typeOnly: boolean;
}

/** The module specifiers a file imports or re-exports, and whether each brings types only. */
function importsOf(file: string, text: string): ImportLine[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const out: ImportLine[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const clause = statement.importClause;
      const named = clause?.namedBindings;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            named !== undefined &&
            ts.isNamedImports(named) &&
            named.elements.every((element) => element.isTypeOnly)));
      out.push({ specifier: statement.moduleSpecifier.text, typeOnly });
    } else if (
      ts.isExportDeclaration(statement) &&
      statement.moduleSpecifier !== undefined &&
      ts.isStringLiteral(statement.moduleSpecifier)
    ) {
      out.push({ specifier: statement.moduleSpecifier.text, typeOnly: statement.isTypeOnly });
    }
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** A file's node: its first path segment under `src/` (a top-level file, or its folder). */
function nodeOf(srcDir: string, file: string): string {
  const [first = '', ...rest] = relative(srcDir, file).split(sep);
  return rest.length === 0 ? first.replace(/\.ts$/, '') : `${first}/`;
}

function lineCount(text: string): number {
  return text.split('\n').filter((line) => line.trim() !== '').length;
}

export function sourceGraph(srcDir: string): SourceGraph {
  const nodes = new Map<string, number>();
  const edges = new Set<string>();
  const typeEdges = new Set<string>();
  for (const file of sourceFiles(srcDir)) {
    const text = readFileSync(file, 'utf8');
    const from = nodeOf(srcDir, file);
    nodes.set(from, (nodes.get(from) ?? 0) + lineCount(text));
    for (const { specifier, typeOnly } of importsOf(file, text)) {
      if (!specifier.startsWith('.')) continue;
      const target = resolve(dirname(file), specifier.replace(/\.js$/, '.ts'));
      const to = nodeOf(srcDir, target);
      if (to === from || to.startsWith('..')) continue;
      (typeOnly ? typeEdges : edges).add(`${from} -> ${to}`);
    }
  }
  for (const edge of edges) typeEdges.delete(edge);
  return { nodes, edges: [...edges].sort(), typeEdges: [...typeEdges].sort() };
}
