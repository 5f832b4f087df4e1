/**
 * The import graph of one package's `src/`, read with TypeScript's own pre-processor (the same
 * reader `tsc` uses to find a file's imports), so the picture in docs/architecture.md is the
 * code's, not a hand-drawn one.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export interface SourceGraph {
  /** Node name -> lines of code it holds (a folder is one node: the sum of its files). */
  readonly nodes: Map<string, number>;
  /** `from -> to` between distinct nodes, sorted. */
  readonly edges: string[];
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
  for (const file of sourceFiles(srcDir)) {
    const text = readFileSync(file, 'utf8');
    const from = nodeOf(srcDir, file);
    nodes.set(from, (nodes.get(from) ?? 0) + lineCount(text));
    for (const { fileName } of ts.preProcessFile(text, true, true).importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = resolve(dirname(file), fileName.replace(/\.js$/, '.ts'));
      const to = nodeOf(srcDir, target);
      if (to !== from && !to.startsWith('..')) edges.add(`${from} -> ${to}`);
    }
  }
  return { nodes, edges: [...edges].sort() };
}
