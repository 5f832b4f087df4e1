/**
 * The code blocks of the project's Markdown files, with what the HTML comment before each one
 * says about it. A `ts`/`js` block is typechecked unless `<!-- not checked: reason -->` stands
 * before it; `<!-- runs against the test broker -->` (optionally `, prints: text`) also runs it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface CodeBlock {
  /** Markdown file, relative to the repository root. */
  readonly file: string;
  /** 1-based line of the block's first code line. */
  readonly line: number;
  readonly lang: string;
  readonly code: string;
  /** The reason given by a `not checked` marker; undefined when the block is checked. */
  readonly notChecked: string | undefined;
  /** True when a `runs against the test broker` marker stands before the block. */
  readonly runs: boolean;
  /** Text the run must print, from `prints: ...` in the run marker. */
  readonly prints: string | undefined;
}

const CHECKED_LANGS = new Set(['ts', 'typescript', 'js', 'javascript']);
const FENCE = /^\s*```(\S*)\s*$/;
const NOT_CHECKED = /^<!--\s*not checked:\s*(.+?)\s*-->$/;
const RUNS = /^<!--\s*runs against the test broker(?:,\s*prints:\s*(.+?))?\s*-->$/;

/** Whether a block is TypeScript or JavaScript, the languages the check covers. */
export function isCheckedLang(lang: string): boolean {
  return CHECKED_LANGS.has(lang);
}

/** Every fenced block of one Markdown text. */
export function extractBlocks(file: string, markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? '');
    if (!open) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end] ?? '')) end++;
    const indent = /^\s*/.exec(lines[i] ?? '')?.[0].length ?? 0;
    const code = lines
      .slice(start, end)
      .map((line) => line.slice(Math.min(indent, /^\s*/.exec(line)?.[0].length ?? 0)))
      .join('\n');
    let before = i - 1;
    while (before >= 0 && (lines[before] ?? '').trim() === '') before--;
    const marker = before >= 0 ? (lines[before] ?? '').trim() : '';
    const runs = RUNS.exec(marker);
    blocks.push({
      file,
      line: start + 1,
      lang: open[1] ?? '',
      code: `${code}\n`,
      notChecked: NOT_CHECKED.exec(marker)?.[1],
      runs: runs !== null,
      prints: runs?.[1],
    });
    i = end;
  }
  return blocks;
}

/** The Markdown files whose examples are checked: the READMEs and docs/, relative to `root`. */
export function markdownFiles(root: string): string[] {
  const files = ['README.md'];
  for (const dir of ['packages', 'apps']) {
    for (const name of readdirSync(join(root, dir)).sort()) {
      const readme = join(dir, name, 'README.md');
      if (existsSync(join(root, readme))) files.push(readme);
    }
  }
  for (const name of readdirSync(join(root, 'docs')).sort()) {
    if (name.endsWith('.md')) files.push(join('docs', name));
  }
  return files.map((file) => relative(root, join(root, file)));
}

/** Every block of the project's Markdown files. */
export function projectBlocks(root: string): CodeBlock[] {
  return markdownFiles(root).flatMap((file) =>
    extractBlocks(file, readFileSync(join(root, file), 'utf8')),
  );
}
