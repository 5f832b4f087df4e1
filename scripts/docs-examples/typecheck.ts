/**
 * Typechecks the checked blocks with `tsc --noEmit` under the project's strict options, and
 * reports each error at its Markdown file and line.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import type { CodeBlock } from './blocks.js';
import { examplesTsconfig, moduleName, writeExamples } from './workspace.js';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/** Errors as `file.md:line: message`; empty when every block typechecks. */
export function typecheckBlocks(blocks: readonly CodeBlock[]): string[] {
  writeExamples(blocks);
  const result = spawnSync(
    process.execPath,
    [tsc, '--noEmit', '--pretty', 'false', '-p', examplesTsconfig],
    { encoding: 'utf8' },
  );
  if (result.status === 0) return [];
  const byModule = new Map(blocks.map((block) => [moduleName(block), block]));
  const errors: string[] = [];
  for (const line of `${result.stdout}${result.stderr}`.split('\n')) {
    if (line.trim() === '') continue;
    const at = /^(?:.*[\\/])?([^\\/()]+\.ts)\((\d+),(\d+)\): (.*)$/.exec(line);
    const block = at ? byModule.get(at[1] ?? '') : undefined;
    if (at && block) {
      errors.push(`${block.file}:${block.line + Number(at[2]) - 1}: ${at[4]}`);
    } else if (!/^\s/.test(line) || errors.length === 0) {
      errors.push(line);
    } else {
      errors[errors.length - 1] += `\n${line}`;
    }
  }
  return errors;
}
